package org.metaunsup.eval.method;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.variational.BernoulliReconstructionDistribution;
import org.deeplearning4j.nn.conf.layers.variational.VariationalAutoencoder;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.metaunsup.BadInputException;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.eval.FeatureMethod;
import org.metaunsup.eval.MethodContext;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Baselines "VAE" and "β-VAE": DL4J's {@link VariationalAutoencoder} layer whose encoder is the
 * base MLP's shape (hidden widths n_1..n_{L−1}, latent size n_L, the base activation), decoder the
 * mirror image, Bernoulli pixels (inputs are in [0, 1]), trained with Adam on the same unlabelled
 * minibatches as the rule, one minibatch per step. Features = the encoder mean of q(z|x). β ≠ 1
 * weights the reconstruction term by 1/β ({@link ScaledReconstruction}).
 */
public final class VaeMethod implements FeatureMethod {

    /** Adam learning rate of both VAEs. */
    public static final double LEARNING_RATE = 1e-3;
    /** β of the β-VAE baseline (Higgins et al. use β = 4 on small images). */
    public static final double DEFAULT_BETA = 4.0;

    private final double beta;

    /** @param beta KL weight β (1 = plain VAE) */
    public VaeMethod(double beta) {
        if (!(beta > 0)) {
            throw new IllegalArgumentException("beta must be > 0");
        }
        this.beta = beta;
    }

    @Override
    public String id() {
        return beta == 1.0 ? "vae" : "beta-vae";
    }

    @Override
    public String label() {
        return beta == 1.0 ? "VAE (encoder mean)" : "beta-VAE, beta=" + (beta == Math.rint(beta) ? Long.toString((long) beta) : Double.toString(beta)) + " (encoder mean)";
    }

    @Override
    public Run start(MethodContext ctx) {
        MultiLayerNetwork net = new MultiLayerNetwork(config(ctx.arch(), ctx.initSeed()));
        net.init();
        return new Run() {
            @Override
            public void train(int steps) {
                for (int i = 0; i < steps; i++) {
                    net.pretrainLayer(0, ctx.unlabelled().next(net.getLayerWiseConfigurations().getDataType()));
                }
            }

            @Override
            public INDArray features(INDArray x) {
                // A VAE layer's inference activation is the mean of q(z|x).
                return net.getLayer(0).activate(x.castTo(net.getLayerWiseConfigurations().getDataType()), false,
                        LayerWorkspaceMgr.noWorkspaces()).detach();
            }
        };
    }

    private MultiLayerConfiguration config(BaseModelConfig arch, long seed) {
        if (arch.depth() < 2) {
            throw new BadInputException("the VAE baselines need a base model with at least one hidden layer, got "
                    + arch.describe());
        }
        int[] hidden = Arrays.copyOfRange(arch.widths(), 1, arch.depth());
        int[] mirror = new int[hidden.length];
        for (int i = 0; i < hidden.length; i++) {
            mirror[i] = hidden[hidden.length - 1 - i];
        }
        BernoulliReconstructionDistribution pixels = new BernoulliReconstructionDistribution(Activation.SIGMOID);
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Adam(LEARNING_RATE))
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(new VariationalAutoencoder.Builder()
                        .nIn(arch.inputWidth())
                        .nOut(arch.topWidth())
                        .encoderLayerSizes(hidden)
                        .decoderLayerSizes(mirror)
                        .activation(activation(arch))
                        .pzxActivationFunction(Activation.IDENTITY)
                        .reconstructionDistribution(beta == 1.0 ? pixels : new ScaledReconstruction(pixels, 1.0 / beta))
                        .build())
                .build();
    }

    private static Activation activation(BaseModelConfig arch) {
        return switch (arch.activation()) {
            case RELU -> Activation.RELU;
            case LEAKY_RELU -> Activation.LEAKYRELU;
            case SWISH -> Activation.SWISH;
            case TANH -> Activation.TANH;
            // A VAE is trained by gradients; a step function has none, so it gets the nearest smooth one.
            case STEP -> Activation.SIGMOID;
        };
    }
}
