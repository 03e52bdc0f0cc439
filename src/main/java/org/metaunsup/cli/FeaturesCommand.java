package org.metaunsup.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.IntConsumer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.metaunsup.BadInputException;
import org.metaunsup.basemodel.PhiState;
import org.metaunsup.config.Activation;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.ConfigLoader;
import org.metaunsup.data.DataSplits;
import org.metaunsup.data.Dataset;
import org.metaunsup.data.Datasets;
import org.metaunsup.dl4j.ArrayDataSetIterator;
import org.metaunsup.dl4j.RuleFeatureExtractor;
import org.metaunsup.eval.Architectures;
import org.metaunsup.eval.RuleSource;
import org.metaunsup.export.CoreAdapter;
import org.metaunsup.export.LearnedRule;
import org.metaunsup.export.ShippedRules;
import org.metaunsup.io.AtomicFiles;
import org.metaunsup.io.AtomicFolder;
import org.metaunsup.io.Npy;
import org.metaunsup.io.OutputPaths;
import org.metaunsup.report.RunFolder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code features}: learn a base model on the user's unlabelled images with a rule, and write
 * the DL4J feature extractor, φ with its population statistics, and the features of every image.
 */
@Command(name = "features", mixinStandardHelpOptions = true,
        description = {"Train a base model on unlabelled images with a learned rule and write the DL4J "
                + "feature extractor (model.zip), phi (phi/*.npy) and the features of every image "
                + "(features-train.npy, features-test.npy) into --out."})
final class FeaturesCommand implements Callable<Integer> {

    @Option(names = "--rule", defaultValue = RuleSource.DEFAULT, description = "theta file (*.theta.fb), 'random' "
            + "for a meta-initialised rule of --config, or 'default': the theta file in models/ whose card matches "
            + "--config (default: ${DEFAULT-VALUE})")
    String rule;

    @Option(names = "--config", defaultValue = "small", description = "config a 'default' rule must match, or of a "
            + "'random' rule (default: ${DEFAULT-VALUE})")
    String config;

    @Option(names = "--dataset", required = true, description = "mnist14, alphabet14, ... or idx:IMAGES[,LABELS]")
    String dataset;

    @Option(names = "--arch", description = "hidden and top widths, e.g. 128x4,32 or 64,64,32 (the top "
            + "width must be the rule's; default: the architecture stored with the rule)")
    String arch;

    @Option(names = "--activation", description = "base model activation (default: the rule's)")
    String activation;

    @Option(names = "--steps", defaultValue = "200", description = "inner steps (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--seed", defaultValue = "0", description = "seed of theta init (random) and of the base model (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", required = true, description = "output folder")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (steps < 1) {
            throw new BadInputException("--steps must be >= 1");
        }
        // Before minutes of inner steps: a folder that cannot be written, or a user's folder of other
        // things, is refused now (the results replace an earlier features folder only when complete).
        OutputPaths.folder(out, "--out", RunFolder.MANIFEST);
        ProcessSetup.init();
        LearnedRule r = rule(config, rule, seed);
        if (r.isMetaInitialised()) {
            System.err.println("note: " + r.describe() + " has never been meta-trained");
        }
        DataSplits data = Datasets.load(dataset);
        Dataset train = data.train();
        if (train.count() < r.innerBatch()) {
            throw new BadInputException(dataset + " has " + train.count() + " images, fewer than the rule's inner batch "
                    + r.innerBatch());
        }
        Activation act = activation == null ? Activation.parse(r.card().activation()) : Activation.parse(activation);
        BaseModelConfig shape = shape(train.dim(), r, act);
        r.checkArchitecture(shape);

        ArrayDataSetIterator unlabelled = ArrayDataSetIterator.of(train, ArrayDataSetIterator.all(train), false, 256);
        System.err.printf(Locale.ROOT, "%d inner steps of the %s on %s (%d images), base model %s%n", steps,
                r.describe(), train.name(), train.count(), shape.describe());
        RuleFeatureExtractor ex;
        try (Progress p = new Progress("inner steps", steps)) {
            ex = RuleFeatureExtractor.learn(r, unlabelled, shape, steps, seed, p);
        }

        Map<String, Object> seeds = new LinkedHashMap<>();
        seeds.put("base_model", seed);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("rule", r.source().map(Path::toString).orElse("random"));
        extra.put("rule_card", r.card().toString());
        extra.put("dataset", dataset);
        extra.put("base", shape.describe());
        extra.put("inner_steps", steps);
        List<String> written;
        try (AtomicFolder folder = AtomicFolder.begin(out, "--out", RunFolder.MANIFEST)) {
            written = write(folder.dir(), r, ex, data, shape, seeds, extra);
            folder.commit();
        }
        System.err.println("wrote " + String.join(", ", written));
        System.out.println(out.toAbsolutePath());
        return 0;
    }

    /** Everything of the features folder, into {@code out} (the temp folder of an {@link AtomicFolder}). */
    private List<String> write(Path out, LearnedRule r, RuleFeatureExtractor ex, DataSplits data, BaseModelConfig shape,
                               Map<String, Object> seeds, Map<String, Object> extra) throws Exception {
        Dataset train = data.train();
        RunFolder run = RunFolder.create(out, "features", CoreAdapter.withBase(r.card().toConfig(), shape), seeds, extra);
        AtomicFiles.writeString(out.resolve("card.json"), r.card().toJson() + "\n");

        MultiLayerNetwork net = ex.network(DataType.FLOAT);
        Path zip = out.resolve("model.zip");
        Path tmp = Files.createTempFile(out, ".model.zip", ".tmp");
        try {
            ModelSerializer.writeModel(net, tmp.toFile(), true);
            AtomicFiles.move(tmp, zip);
        } finally {
            Files.deleteIfExists(tmp);
        }
        Path phiDir = Files.createDirectories(out.resolve("phi"));
        PhiState phi = ex.model().params();
        for (int l = 1; l <= phi.depth(); l++) {
            npy(phiDir.resolve("W" + l + ".npy"), phi.w().get(l - 1));
            npy(phiDir.resolve("V" + l + ".npy"), phi.v().get(l - 1));
            npy(phiDir.resolve("b" + l + ".npy"), phi.b().get(l - 1));
            npy(phiDir.resolve("bn_mean" + l + ".npy"), ex.statistics().mean().get(l - 1));
            npy(phiDir.resolve("bn_var" + l + ".npy"), ex.statistics().variance().get(l - 1));
        }
        List<String> written = new ArrayList<>(List.of("model.zip", "phi/", "card.json", "manifest.json",
                "config.properties"));
        writeFeatures(out, net, train, "train", written);
        if (data.hasTest()) {
            writeFeatures(out, net, data.test(), "test", written);
        }
        run.finish(RunFolder.Status.FINISHED, null);
        return written;
    }

    private static void writeFeatures(Path out, MultiLayerNetwork net, Dataset d, String part, List<String> written)
            throws Exception {
        ArrayDataSetIterator it = ArrayDataSetIterator.of(d, ArrayDataSetIterator.all(d), false, 1024);
        List<INDArray> chunks = new ArrayList<>();
        while (it.hasNext()) {
            chunks.add(net.output(it.next().getFeatures(), false));
        }
        INDArray f = Nd4j.concat(0, chunks.toArray(new INDArray[0]));
        if (f.isNaN().any() || f.isInfinite().any()) {
            throw new IllegalStateException("features of " + d.name() + " are not finite");
        }
        npy(out.resolve("features-" + part + ".npy"), f);
        written.add("features-" + part + ".npy " + Arrays.toString(f.shape()));
        if (d.isLabelled()) {
            npy(out.resolve("labels-" + part + ".npy"), Nd4j.createFromArray(d.labels()));
            written.add("labels-" + part + ".npy");
        }
    }

    /** {@code --rule}: the shipped θ matching the config (said on stderr), a meta-initialised one, or a file. */
    private static LearnedRule rule(String config, String rule, long seed) {
        if (rule.equals(RuleSource.DEFAULT)) {
            ShippedRules.Choice c = ShippedRules.find(ConfigLoader.load(config));
            System.err.println(c.describe());
            return c.rule();
        }
        return rule.equals("random") ? LearnedRule.metaInitialised(config, seed) : LearnedRule.load(Path.of(rule));
    }

    /** Writes .npy in the array's own type (float32 features, int32 labels), atomically. */
    private static void npy(Path target, INDArray a) throws IOException {
        Npy.write(target, a);
    }

    /** The stored architecture of the rule, or {@code --arch} (one parser for every command). */
    private BaseModelConfig shape(int input, LearnedRule r, Activation act) {
        if (arch != null) {
            return Architectures.parse(arch, input, act);
        }
        int[] stored = r.card().architecture();
        if (stored == null) {
            stored = r.card().toConfig().base().widths();
        }
        int[] w = stored.clone();
        w[0] = input;
        return new BaseModelConfig(w, act);
    }

    /**
     * The progress display (a fixed-width bar on a terminal: {@link TerminalProgress}), a line per
     * 10 % otherwise (logs, tests).
     */
    private static final class Progress implements IntConsumer, AutoCloseable {
        private final TerminalProgress display;
        private final int total;
        private final String task;

        Progress(String task, int total) {
            this.task = task;
            this.total = total;
            this.display = new TerminalProgress(task, total);
        }

        @Override
        public void accept(int done) {
            display.stepTo(done);
            if (!display.isBar() && (done == total || done % Math.max(1, total / 10) == 0)) {
                display.message(String.format(Locale.ROOT, "%s: %d/%d", task, done, total));
            }
        }

        @Override
        public void close() {
            display.close();
        }
    }
}
