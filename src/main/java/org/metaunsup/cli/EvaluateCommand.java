package org.metaunsup.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.ConfigLoader;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.data.DataSplits;
import org.metaunsup.eval.CurveFiles;
import org.metaunsup.eval.CurvePoint;
import org.metaunsup.eval.CurveTable;
import org.metaunsup.eval.EvalData;
import org.metaunsup.eval.EvalProtocol;
import org.metaunsup.eval.Evaluation;
import org.metaunsup.eval.FeatureMethod;
import org.metaunsup.eval.Methods;
import org.metaunsup.eval.RuleSource;
import org.metaunsup.io.AtomicFolder;
import org.metaunsup.io.OutputPaths;
import org.metaunsup.report.RunFolder;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code evaluate}: learning curves of a frozen rule and of the baselines on a dataset's unlabelled
 * training split, measured on its held-out labelled split (docs/EVALUATION.md). Writes
 * {@code curves.csv}, {@code points.csv}, {@code curves.png}, {@code summary.csv},
 * {@code summary.txt}, the resolved config and a manifest. Ctrl-C stops and writes what was
 * measured.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Learning curves: a frozen rule (and baselines) on fresh base models, few-shot ridge and "
                + "logistic readouts every M steps, mean +- standard error over seeds.")
final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--rule", required = true, description = "theta file (*.theta.fb), theta folder, 'random' (meta-initialised) or 'none'")
    String rule;

    @Option(names = "--dataset", defaultValue = "mnist14", description = "NAME or idx:IMAGES,LABELS (default: ${DEFAULT-VALUE})")
    String dataset;

    @Option(names = "--config", defaultValue = "small", description = "rule widths, inner batch, eta (default: ${DEFAULT-VALUE})")
    String config;

    @Option(names = "--arch", description = "base architecture, hidden then top widths, e.g. 64x2,32 (default: the config's)")
    String arch;

    @Option(names = "--steps", defaultValue = "1000", description = "training steps per method (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--every", defaultValue = "50", description = "measurement period (default: ${DEFAULT-VALUE})")
    int every;

    @Option(names = "--seeds", defaultValue = "5", description = "seeds averaged (default: ${DEFAULT-VALUE})")
    int seeds;

    @Option(names = "--seed", defaultValue = "0", description = "run seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--methods", split = ",", description = "comma list of: rule, rule-init, none, raw, vae, beta-vae, "
            + "supervised (default: rule)")
    List<String> methods;

    @Option(names = "--compare", description = "run every method and plot them on one figure (the paper's Figure 1)")
    boolean compare;

    @Mixin
    ReadoutOptions readout;

    @Option(names = "--out", description = "run folder (default: runs/evaluate-<time>)")
    Path out;

    @Override
    public Integer call() throws Exception {
        EvalProtocol protocol = readout.protocol(steps, every, seeds);
        ExperimentConfig cfg = ConfigLoader.load(config);
        EvalInputs in = EvalInputs.load(cfg, dataset, arch);
        cfg = in.config();
        DataSplits splits = in.splits();
        EvalData data = in.data();
        BaseModelConfig base = in.base();
        RuleSource.Loaded loaded = RuleSource.load(rule, cfg, base.topWidth(), seed);
        List<String> ids = compare ? Methods.ALL : methods == null || methods.isEmpty() ? List.of("rule") : methods;
        List<FeatureMethod> list = Methods.create(ids, loaded, cfg, base.topWidth(), seed);
        Path dir = EvalInputs.runDir(out, "evaluate");
        OutputPaths.folder(dir, "--out", RunFolder.MANIFEST);   // before minutes of work
        Map<String, Object> seedInfo = new LinkedHashMap<>();
        seedInfo.put("run", seed);
        List<Long> derived = new ArrayList<>();
        Evaluation evaluation = new Evaluation(cfg, base, data, protocol, seed, DataType.FLOAT);
        for (int i = 0; i < seeds; i++) {
            derived.add(evaluation.seed(i));
        }
        seedInfo.put("evaluation_seeds", derived);
        seedInfo.put("derivation", "seed i = Seeds.derive(run, \"seed-i\"); per seed: phi-init, eval-permutation, "
                + "eval-data-order, eval-query, eval-support, supervised-labels, logistic-init");
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("dataset", splits.name());
        extra.put("data_shape", data.shapeText());
        extra.put("unlabelled_images", data.unlabelledCount());
        extra.put("held_out_images", data.heldOutCount());
        extra.put("rule", loaded.description());
        extra.put("base", base.describe());
        extra.put("methods", list.stream().map(FeatureMethod::id).toList());
        extra.put("protocol", protocol.describe());
        // Written beside its target and renamed into place when the study ends (finished, stopped or
        // failed with what was measured); a process killed outright leaves only a hidden temp folder.
        try (AtomicFolder folder = AtomicFolder.begin(dir, "--out", RunFolder.MANIFEST)) {
            RunFolder run = RunFolder.create(folder.dir(), "evaluate", cfg.withBase(base), seedInfo, extra);
            measure(run, folder, evaluation, list, protocol, splits, base);
        }
        System.out.println(dir.toAbsolutePath());
        return 0;
    }

    private void measure(RunFolder run, AtomicFolder folder, Evaluation evaluation, List<FeatureMethod> list,
                         EvalProtocol protocol, DataSplits splits, BaseModelConfig base) throws Exception {

        Map<String, String> labels = new LinkedHashMap<>();
        list.forEach(m -> labels.put(m.id(), m.label()));
        String title = String.format(Locale.ROOT, "%s, base %s, %d seeds, %d-shot", splits.name(), base.describe(),
                seeds, readout.shots);
        System.err.println("evaluate: " + String.join(", ", labels.keySet()) + " on " + splits.name() + "; "
                + protocol.describe());
        Progress progress = new Progress(evaluation.totalSteps(list.size()));
        try (StopSignal stop = new StopSignal(); progress) {
            Evaluation.Result result;
            try {
                result = evaluation.run(list, progress, stop::requested);
            } catch (RuntimeException e) {
                // A failure (e.g. a diverging rule) still leaves what was measured before it.
                try {
                    if (!progress.points.isEmpty()) {
                        progress.close();
                        write(run.dir(), new CurveTable(progress.points, labels), title, protocol, false);
                    }
                    run.finish(e instanceof org.metaunsup.DivergenceException ? RunFolder.Status.DIVERGED
                            : RunFolder.Status.FAILED, Failures.oneLine(String.valueOf(e.getMessage())));
                    folder.commit();
                    System.err.println("partial results written to " + folder.target());
                } catch (IOException | RuntimeException f) {
                    e.addSuppressed(f);   // never hide the cause behind a second failure (a full disk)
                }
                throw e;
            }
            progress.close();
            write(run.dir(), new CurveTable(result.points(), labels), title, protocol, result.complete());
            // A stopped run is "stopped" in its manifest, as a stopped metatrain is: not finished,
            // and the note says why.
            run.finish(result.complete() ? RunFolder.Status.FINISHED : RunFolder.Status.STOPPED,
                    result.complete() ? null : "stopped early by a signal; curves hold what was measured");
            folder.commit();
        }
    }

    private static void write(Path dir, CurveTable table, String title, EvalProtocol protocol, boolean complete)
            throws java.io.IOException {
        CurveFiles.write(dir, table, title, protocol.describe(), complete);
        System.err.print(java.nio.file.Files.readString(dir.resolve("summary.txt")));
    }

    /** A progress bar on a terminal, otherwise one line per measurement of the last seed. */
    private static final class Progress implements Evaluation.Listener, AutoCloseable {
        private final TerminalProgress display;
        private final List<CurvePoint> points = new ArrayList<>();

        Progress(long total) {
            display = new TerminalProgress("evaluate", total);
        }

        @Override
        public void stepsDone(int steps) {
            display.step(steps);
        }

        @Override
        public void measured(CurvePoint p) {
            points.add(p);
            String msg = String.format(Locale.ROOT, "%s seed %d step %d: ridge %.3f logistic %.3f meta %.4f",
                    p.method(), p.seed(), p.step(), p.ridgeAccuracy(), p.logisticAccuracy(), p.metaLoss());
            display.message(msg);
        }

        @Override
        public void close() {
            display.close();
        }
    }
}
