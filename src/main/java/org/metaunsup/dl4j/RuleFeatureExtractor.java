package org.metaunsup.dl4j;

import java.util.function.IntConsumer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.weights.WeightInit;
import org.metaunsup.BadInputException;
import org.metaunsup.config.Activation;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.export.BaseModel;
import org.metaunsup.export.LearnedRule;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSwish;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * A base model trained with a learned rule on unlabelled data, handed over as a DL4J
 * {@link MultiLayerNetwork} feature extractor. Each base layer z = BN(x·W) + b, x = act(z)
 * becomes three DL4J layers:
 * <ol>
 *   <li>{@link DenseLayer} without bias, weights W^l, identity activation;</li>
 *   <li>{@link BatchNormalization} with ε = 1e-6, global mean and variance = the
 *       {@link PopulationStatistics} of the unlabelled data, γ = 1 (kept there by
 *       {@link FixedGamma}) and β = b^l;</li>
 *   <li>{@link ActivationLayer} with the base model's activation.</li>
 * </ol>
 * At inference DL4J normalises with the stored (population) statistics, so the network computes
 * the base model's function on the whole unlabelled set as one batch, for any batch of inputs.
 * In training mode (fine-tuning) DL4J's BN uses the minibatch statistics, as the base model does
 * during inner training, and updates its stored statistics with its running average (decay 0.9).
 *
 * <p>Inputs are flattened rows [n, n_0] in [0, 1] in the order the rule saw them.
 */
public final class RuleFeatureExtractor {

    private final BaseModel model;
    private final PopulationStatistics statistics;

    private RuleFeatureExtractor(BaseModel model, PopulationStatistics statistics) {
        if (statistics.mean().size() != model.params().depth()) {
            throw new IllegalArgumentException("statistics for " + statistics.mean().size() + " layers, model has "
                    + model.params().depth());
        }
        this.model = model;
        this.statistics = statistics;
    }

    /**
     * @param model a trained base model
     * @param statistics its population statistics
     * @return the extractor
     */
    public static RuleFeatureExtractor of(BaseModel model, PopulationStatistics statistics) {
        return new RuleFeatureExtractor(model, statistics);
    }

    /**
     * Trains a fresh base model with the rule on unlabelled data and fixes its statistics.
     *
     * @param rule the learned rule
     * @param unlabelled images (labels ignored), read repeatedly (reset) as needed
     * @param arch base model shape; input width = the data's pixels, top width = the rule's
     * @param steps inner steps
     * @param seed init seed of the base model
     * @param progress called with steps done after each inner step (may be null)
     * @return the extractor
     */
    public static RuleFeatureExtractor learn(LearnedRule rule, DataSetIterator unlabelled, BaseModelConfig arch,
                                             int steps, long seed, IntConsumer progress) {
        rule.checkArchitecture(arch);
        BaseModel model = rule.train(arch, new UnlabelledBatches(unlabelled, rule.innerBatch()), steps, seed, progress);
        return new RuleFeatureExtractor(model, PopulationStatistics.compute(model, unlabelled));
    }

    /** @return the trained base model */
    public BaseModel model() {
        return model;
    }

    /** @return the population statistics used by the network */
    public PopulationStatistics statistics() {
        return statistics;
    }

    /**
     * @param dtype network data type ({@code FLOAT} for use, {@code DOUBLE} for exact checks)
     * @return a fine-tunable network (every layer trainable, γ fixed at 1); no output layer
     */
    public MultiLayerNetwork network(DataType dtype) {
        BaseModelConfig arch = model.architecture();
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder()
                .dataType(dtype)
                .seed(0)
                .weightInit(WeightInit.ZERO)   // every parameter is overwritten below
                .list();
        IActivation act = activation(arch.activation());
        for (int l = 1; l <= arch.depth(); l++) {
            b.layer(new DenseLayer.Builder().name("dense" + l).nIn(arch.width(l - 1)).nOut(arch.width(l))
                    .hasBias(false).activation(new ActivationIdentity()).build());
            b.layer(new BatchNormalization.Builder().name("bn" + l).nOut(arch.width(l))
                    .eps(PopulationStatistics.BN_EPS).useLogStd(false).constrainAllParameters(new FixedGamma())
                    .activation(new ActivationIdentity()).build());
            b.layer(new ActivationLayer.Builder().name("act" + l).activation(act).build());
        }
        b.setInputType(InputType.feedForward(arch.inputWidth()));
        MultiLayerNetwork net = new MultiLayerNetwork(b.build());
        net.init();
        for (int l = 1; l <= arch.depth(); l++) {
            set(net.getLayer(3 * (l - 1)), DefaultParamInitializer.WEIGHT_KEY, model.params().w().get(l - 1));
            Layer bn = net.getLayer(3 * (l - 1) + 1);
            set(bn, BatchNormalizationParamInitializer.GAMMA, null);
            set(bn, BatchNormalizationParamInitializer.BETA, model.params().b().get(l - 1));
            set(bn, BatchNormalizationParamInitializer.GLOBAL_MEAN, statistics.mean().get(l - 1));
            set(bn, BatchNormalizationParamInitializer.GLOBAL_VAR, statistics.variance().get(l - 1));
        }
        return net;
    }

    /**
     * @param dtype network data type
     * @return the network with every layer frozen (DL4J {@code FrozenLayer}s, always in inference
     *     mode, so always the population statistics): stack an output layer on it with
     *     {@link TransferLearning.Builder#addLayer}
     */
    public MultiLayerNetwork frozenNetwork(DataType dtype) {
        MultiLayerNetwork net = network(dtype);
        return new TransferLearning.Builder(net).setFeatureExtractor(net.getnLayers() - 1).build();
    }

    /** Overwrites a parameter in place, keeping DL4J's own shape ([1, n] or [n]); null means ones. */
    private static void set(Layer layer, String key, INDArray value) {
        INDArray target = layer.getParam(key);
        if (value == null) {
            target.assign(1.0);
            return;
        }
        if (target.length() != value.length()) {
            throw new IllegalStateException("parameter " + key + " has " + target.length() + " entries, value "
                    + value.length());
        }
        target.assign(value.castTo(target.dataType()).reshape(target.shape()));
    }

    private static IActivation activation(Activation a) {
        return switch (a) {
            case RELU -> new ActivationReLU();
            case LEAKY_RELU -> new ActivationLReLU(0.01);
            case TANH -> new ActivationTanH();
            case SWISH -> new ActivationSwish();
            case STEP -> throw new BadInputException("the step activation has no DL4J equivalent; "
                    + "export a base model with relu, leaky_relu, tanh or swish");
        };
    }
}
