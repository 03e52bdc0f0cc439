package org.metaunsup.examples;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.metaunsup.BadInputException;
import org.metaunsup.config.Activation;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.ConfigLoader;
import org.metaunsup.data.DataSplits;
import org.metaunsup.data.Dataset;
import org.metaunsup.data.Datasets;
import org.metaunsup.dl4j.ArrayDataSetIterator;
import org.metaunsup.dl4j.RuleFeatureExtractor;
import org.metaunsup.export.LearnedRule;
import org.metaunsup.export.ShippedRules;
import org.metaunsup.io.AtomicFiles;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The DL4J pipeline on MNIST 14×14 with 10 labels per class. A rule trains a base model on the
 * 60,000 unlabelled training images; the base model becomes a frozen DL4J feature extractor
 * (population batch-norm statistics); DL4J's {@code TransferLearning} stacks a softmax
 * {@code OutputLayer} on it, trained on 100 labelled images, tested on held-out test images;
 * the model is saved and reloaded with {@code ModelSerializer}.
 *
 * <p>It also measures what fixing the batch-norm statistics costs or gains: the same softmax
 * classifier trained and tested on the features of (a) the population statistics and (b) batch
 * statistics (the 100 labelled images normalised as one batch, the test images in batches of
 * 100), the way the rule and the meta-objective see the base model.
 */
public final class Dl4jPipelineExample {

    private Dl4jPipelineExample() {}

    /** Labelled examples per class. */
    public static final int PER_CLASS = 10;

    /**
     * What the example shows.
     *
     * @param rule the rule used
     * @param innerSteps inner steps of the base model
     * @param labelled labelled training images
     * @param tested test images
     * @param transferAccuracy test accuracy of the TransferLearning network (frozen extractor)
     * @param reloadedAccuracy the same network after ModelSerializer save and restore
     * @param populationAccuracy a softmax classifier on population-statistics features
     * @param batchAccuracy the same classifier on batch-statistics features
     */
    public record Result(String rule, int innerSteps, int labelled, int tested, double transferAccuracy,
                         double reloadedAccuracy, double populationAccuracy, double batchAccuracy) {
        /** @return batch minus population accuracy */
        public double batchMinusPopulation() {
            return batchAccuracy - populationAccuracy;
        }
    }

    /**
     * @param rule the rule (e.g. {@link LearnedRule#load} or {@link LearnedRule#metaInitialised})
     * @param steps inner steps on the unlabelled images
     * @param testImages how many test images to score (the first ones of the test set)
     * @param seed base model, label choice and classifier seed
     * @param out folder for {@code transfer.zip} and {@code summary.txt}
     * @return the numbers shown
     * @throws Exception on failure to write
     */
    public static Result run(LearnedRule rule, int steps, int testImages, long seed, Path out) throws Exception {
        DataSplits mnist = Datasets.load("mnist14");
        Dataset train = mnist.train();
        Dataset test = mnist.test();
        int[] stored = rule.card().architecture() != null ? rule.card().architecture()
                : rule.card().toConfig().base().widths();
        int[] widths = stored.clone();
        widths[0] = train.dim();
        BaseModelConfig arch = new BaseModelConfig(widths, Activation.parse(rule.card().activation()));

        // 1. Unsupervised: the rule trains the base model on unlabelled images (labels unused).
        ArrayDataSetIterator unlabelled = ArrayDataSetIterator.of(train, ArrayDataSetIterator.all(train), false, 512);
        RuleFeatureExtractor extractor = RuleFeatureExtractor.learn(rule, unlabelled, arch, steps, seed, null);

        // 2. A few labels: 10 per class, drawn with the seed; held-out test images.
        ArrayDataSetIterator labelled = ArrayDataSetIterator.of(train, tenPerClass(train, seed), true, 100);
        int[] testIdx = new int[Math.min(testImages, test.count())];
        for (int i = 0; i < testIdx.length; i++) {
            testIdx[i] = i;
        }
        ArrayDataSetIterator held = ArrayDataSetIterator.of(test, testIdx, true, testIdx.length);
        DataSet few = new DataSet(labelled.features(), labelled.labels());

        // 3. DL4J transfer learning: frozen extractor + softmax output layer.
        MultiLayerNetwork transfer = new TransferLearning.Builder(extractor.frozenNetwork(DataType.FLOAT))
                .fineTuneConfiguration(new FineTuneConfiguration.Builder().updater(new Adam(1e-2)).seed(seed).build())
                .addLayer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(arch.topWidth()).nOut(10)
                        .weightInit(WeightInit.XAVIER).activation(new ActivationSoftmax()).build())
                .build();
        fit(transfer, few);
        double transferAcc = accuracy(transfer.output(held.features(), false), held.labels());

        // 4. Save and reload with DL4J's own serializer.
        Files.createDirectories(out);
        File zip = out.resolve("transfer.zip").toFile();
        ModelSerializer.writeModel(transfer, zip, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(zip);
        double reloadedAcc = accuracy(restored.output(held.features(), false), held.labels());

        // 5. Population vs batch statistics, one classifier recipe for both.
        MultiLayerNetwork plain = extractor.network(DataType.FLOAT);
        double popAcc = classify(plain.output(labelled.features(), false), labelled.labels(),
                plain.output(held.features(), false), held.labels(), arch.topWidth(), seed);
        INDArray batchTrain = extractor.model().features(labelled.features(), 100);
        INDArray batchTest = extractor.model().features(held.features(), 100);
        double batchAcc = classify(batchTrain, labelled.labels(), batchTest, held.labels(), arch.topWidth(), seed);

        Result r = new Result(rule.describe(), steps, (int) labelled.features().size(0), testIdx.length, transferAcc,
                reloadedAcc, popAcc, batchAcc);
        AtomicFiles.writeString(out.resolve("summary.txt"), summary(r, arch));
        return r;
    }

    private static int[] tenPerClass(Dataset d, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] out = new int[PER_CLASS * d.numClasses()];
        int k = 0;
        for (int c = 0; c < d.numClasses(); c++) {
            int[] idx = d.indicesOfClass(c);
            for (int i = 0; i < PER_CLASS; i++) {
                // partial Fisher–Yates: the first PER_CLASS of a shuffle, without repeats
                int j = i + rng.nextInt(idx.length - i);
                int t = idx[i];
                idx[i] = idx[j];
                idx[j] = t;
                out[k++] = idx[i];
            }
        }
        return out;
    }

    /** Full-batch Adam on 100 examples: 300 iterations are enough for a linear softmax to settle. */
    private static void fit(MultiLayerNetwork net, DataSet data) {
        for (int i = 0; i < 300; i++) {
            net.fit(data);
        }
    }

    private static double classify(INDArray trainX, INDArray trainY, INDArray testX, INDArray testY, int width,
                                   long seed) {
        MultiLayerNetwork softmax = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(seed)
                .updater(new Adam(1e-2)).list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(width).nOut(10)
                        .weightInit(WeightInit.XAVIER).activation(new ActivationSoftmax()).build())
                .build());
        softmax.init();
        fit(softmax, new DataSet(trainX, trainY));
        return accuracy(softmax.output(testX, false), testY);
    }

    private static double accuracy(INDArray probabilities, INDArray oneHot) {
        INDArray predicted = probabilities.argMax(1);
        INDArray truth = oneHot.argMax(1);
        return predicted.eq(truth).castTo(DataType.DOUBLE).meanNumber().doubleValue();
    }

    private static String summary(Result r, BaseModelConfig arch) {
        return String.format(Locale.ROOT, "%s%nbase model %s, %d inner steps on 60,000 unlabelled MNIST 14x14 images%n"
                        + "TransferLearning (frozen extractor + softmax), %d labels (%d per class), %d test images:%n"
                        + "  test accuracy %.4f (chance 0.1000); after ModelSerializer save/restore %.4f%n"
                        + "softmax on population-statistics features: %.4f%n"
                        + "softmax on batch-statistics features (batches of 100): %.4f%n"
                        + "batch minus population: %+.4f%n",
                r.rule(), arch.describe(), r.innerSteps(), r.labelled(), PER_CLASS, r.tested(), r.transferAccuracy(),
                r.reloadedAccuracy(), r.populationAccuracy(), r.batchAccuracy(), r.batchMinusPopulation());
    }

    /**
     * Runs on the θ file shipped in {@code models/} for the {@code small} config
     * ({@link ShippedRules}: the one whose card matches it, preferring {@code models/small.theta.fb});
     * says which on standard error. With none, one line naming what was looked for and where, and
     * exit code 2.
     *
     * @param args optional: output folder (default runs/example-dl4j), inner steps (default 200), seed
     *     (default 1)
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "runs/example-dl4j");
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
        ShippedRules.Choice shipped;
        try {
            shipped = defaultRule("small");
        } catch (BadInputException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.err.println(shipped.describe());
        Result r = run(shipped.rule(), steps, 10_000, seed, out);
        System.out.print(Files.readString(out.resolve("summary.txt")));
        System.out.println("saved in " + out.toAbsolutePath());
    }

    /**
     * The rule {@link #main} uses.
     *
     * @param config a built-in config name or a config file
     * @return the shipped θ matching it
     * @throws BadInputException (one line) when none matches
     */
    public static ShippedRules.Choice defaultRule(String config) {
        return ShippedRules.find(ConfigLoader.load(config));
    }
}
