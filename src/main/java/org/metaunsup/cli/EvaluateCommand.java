package org.metaunsup.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.eval.curves.CurveFiles;
import org.metaunsup.eval.CurvePoint;
import org.metaunsup.eval.curves.CurveTable;
import org.metaunsup.eval.EvalProtocol;
import org.metaunsup.eval.Evaluation;
import org.metaunsup.eval.FeatureMethod;
import org.metaunsup.eval.method.Methods;
import org.metaunsup.eval.RuleSource;
import org.metaunsup.report.Provenance;
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

    @Option(names = "--rule", required = true, description = "theta file (*.theta.fb), theta folder, 'default' (the "
            + "theta file in models/ whose card matches --config), 'random' (meta-initialised) or 'none'")
    String rule;

    @Mixin
    ArchOption arch;

    @Option(names = "--steps", defaultValue = "1000", description = "training steps per method (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--every", defaultValue = "50", description = "measurement period (default: ${DEFAULT-VALUE})")
    int every;

    @Option(names = "--seeds", defaultValue = "5", description = "seeds averaged (default: ${DEFAULT-VALUE})")
    int seeds;

    @Option(names = "--methods", split = ",", description = "comma list of: rule, rule-init, none, raw, pca, vae, "
            + "beta-vae, supervised (default: rule)")
    List<String> methods;

    @Option(names = "--compare", description = "run every method and plot them on one figure (the paper's Figure 1)")
    boolean compare;

    @Mixin
    ReadoutOptions readout;

    @Mixin
    StudyOptions study;

    @Override
    public Integer call() throws Exception {
        EvalProtocol protocol = readout.protocol(steps, every, seeds);
        long seed = study.seed;
        EvalInputs in = EvalInputs.load(study.loadConfig(), study.dataset, arch.text);
        ExperimentConfig cfg = in.config();
        BaseModelConfig base = in.base();
        RuleSource.Loaded loaded = RuleSource.load(rule, cfg, base.topWidth(), seed);
        if (rule.equals(RuleSource.DEFAULT)) {
            System.err.println("using " + loaded.description());
        }
        List<String> ids = compare ? Methods.ALL : methods == null || methods.isEmpty() ? List.of("rule") : methods;
        List<FeatureMethod> list = Methods.create(ids, loaded, cfg, base.topWidth(), seed);
        StudyRun run = study.check();   // before minutes of work
        Evaluation evaluation = new Evaluation(cfg, base, in.data(), protocol, seed, DataType.FLOAT);
        Provenance provenance = in.describe(Provenance.of("evaluate", cfg.withBase(base)), true)
                .seed("run", seed).seed("evaluation_seeds", EvalInputs.seeds(seeds, evaluation::seed))
                .seed("derivation", "seed i = Seeds.derive(run, \"seed-i\"); per seed: phi-init, eval-permutation, "
                        + "eval-data-order, eval-query, eval-support, supervised-labels, logistic-init")
                .field("rule", loaded.description()).field("base", base.describe())
                .field("methods", list.stream().map(FeatureMethod::id).toList())
                .field("protocol", protocol.describe()).build();

        Map<String, String> labels = new LinkedHashMap<>();
        list.forEach(m -> labels.put(m.id(), m.label()));
        String title = String.format(Locale.ROOT, "%s, base %s, %d seeds, %d-shot", in.splits().name(),
                base.describe(), seeds, readout.shots);
        System.err.println("evaluate: " + String.join(", ", labels.keySet()) + " on " + in.splits().name() + "; "
                + protocol.describe());
        Progress progress = new Progress(evaluation.totalSteps(list.size()));
        return run.run(provenance, new StudyRun.Work() {
            @Override
            public StudyRun.Ending run(Path dir, BooleanSupplier stop) throws IOException {
                try (progress) {
                    Evaluation.Result result = evaluation.run(list, progress, stop);
                    progress.close();
                    write(dir, new CurveTable(result.points(), labels), title, protocol, result.complete());
                    return StudyRun.Ending.of(result.complete(),
                            "stopped early by a signal; curves hold what was measured");
                }
            }

            @Override
            public void writePartial(Path dir) throws IOException {
                // A failure (e.g. a diverging rule) still leaves what was measured before it.
                progress.close();
                if (!progress.points.isEmpty()) {
                    write(dir, new CurveTable(progress.points, labels), title, protocol, false);
                }
            }
        });
    }

    private static void write(Path dir, CurveTable table, String title, EvalProtocol protocol, boolean complete)
            throws IOException {
        CurveFiles.write(dir, table, title, protocol.describe(), complete);
        System.err.print(Files.readString(dir.resolve("summary.txt")));
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
