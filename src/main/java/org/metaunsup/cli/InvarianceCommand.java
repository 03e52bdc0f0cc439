package org.metaunsup.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import org.metaunsup.BadInputException;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.eval.EvalData;
import org.metaunsup.eval.EvalProtocol;
import org.metaunsup.eval.FeatureMethod;
import org.metaunsup.eval.invariance.InvarianceFiles;
import org.metaunsup.eval.invariance.InvarianceSpec;
import org.metaunsup.eval.invariance.InvarianceStudy;
import org.metaunsup.eval.invariance.InvarianceTable;
import org.metaunsup.eval.method.Methods;
import org.metaunsup.eval.RuleSource;
import org.metaunsup.report.Provenance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code invariance}: the same θ under the identity and P random input permutations, against a
 * supervised feature extractor trained on unpermuted pixels (docs/EVALUATION.md, "Input-order
 * invariance"). Writes {@code invariance.csv}, {@code invariance-points.csv}, {@code invariance.png},
 * {@code summary.txt}, {@code figures.json}, the resolved config and a manifest. Ctrl-C stops and
 * writes what was measured.
 */
@Command(name = "invariance", mixinStandardHelpOptions = true,
        description = "Input-order invariance: a rule under the identity and P random pixel permutations (same "
                + "phi0, data and draws) vs a supervised extractor trained on unpermuted pixels; ridge, logistic "
                + "and prototype readouts, mean +- standard error over seeds.")
final class InvarianceCommand implements Callable<Integer> {

    @Option(names = "--rule", required = true, description = "theta file (*.theta.fb), theta folder, 'default' (the theta "
            + "file in models/ whose card matches --config) or 'random' (meta-initialised)")
    String rule;

    @Mixin
    ArchOption arch;

    @Option(names = "--permutations", defaultValue = "5", description = "random permutations besides the identity (default: ${DEFAULT-VALUE})")
    int permutations;

    @Option(names = "--steps", defaultValue = "1000", description = "inner steps of the rule before it is measured (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--seeds", defaultValue = "5", description = "evaluation seeds, >= 2 (default: ${DEFAULT-VALUE})")
    int seeds;

    @Mixin
    ReadoutOptions readout;

    @Option(names = "--baseline-per-class", defaultValue = "100",
            description = "labelled training images per class of the supervised extractor (default: ${DEFAULT-VALUE})")
    int baselinePerClass;

    @Option(names = "--baseline-steps", defaultValue = "300",
            description = "full-batch Adam steps of the supervised extractor (default: ${DEFAULT-VALUE})")
    int baselineSteps;

    @Mixin
    StudyOptions study;

    @Override
    public Integer call() throws Exception {
        if (permutations < 1) {
            throw new BadInputException("--permutations must be >= 1");
        }
        if (steps < 1) {
            throw new BadInputException("--steps must be >= 1");
        }
        if (seeds < 2) {
            throw new BadInputException("--seeds must be >= 2 (a standard error needs two seeds)");
        }
        if (baselinePerClass < 1 || baselineSteps < 1) {
            throw new BadInputException("--baseline-per-class and --baseline-steps must be >= 1");
        }
        if (rule.equals("none")) {
            throw new BadInputException("--rule none: the study needs a rule (a theta file or folder, or random)");
        }
        // The rule is measured once, after N steps (and at 0, which evaluation always measures).
        EvalProtocol protocol = readout.protocol(steps, steps, seeds);
        InvarianceStudy.ExtractorRecipe recipe = new InvarianceStudy.ExtractorRecipe(baselinePerClass, baselineSteps);
        long seed = study.seed;
        ExperimentConfig loadedCfg = study.loadConfig();
        StudyRun run = study.check();   // before loading anything
        EvalInputs in = EvalInputs.load(loadedCfg, study.dataset, arch.text);
        ExperimentConfig cfg = in.config();
        EvalData data = in.data();
        BaseModelConfig base = in.base();
        RuleSource.Loaded loaded = RuleSource.load(rule, cfg, base.topWidth(), seed);
        if (rule.equals(RuleSource.DEFAULT)) {
            System.err.println("using " + loaded.description());
        }
        FeatureMethod ruleMethod = Methods.create(List.of("rule"), loaded, cfg, base.topWidth(), seed).get(0);
        InvarianceSpec spec = new InvarianceSpec(cfg, base, data, protocol, permutations, recipe, seed, ruleMethod,
                loaded.description());
        InvarianceStudy invariance = spec.study();
        invariance.checkSizes();   // bad sizes fail before the run folder exists
        Provenance provenance = spec.record(in.describe(Provenance.of("invariance", cfg.withBase(base)), true)).build();
        System.err.println(spec.startLine());
        Progress progress = new Progress(invariance.totalSteps());
        return run.run(provenance, new StudyRun.Work() {
            @Override
            public StudyRun.Ending run(Path dir, BooleanSupplier stop) throws IOException {
                try (progress) {
                    InvarianceStudy.Result result = invariance.run(ruleMethod, progress, stop);
                    progress.close();
                    write(dir, spec.table(result.points()),
                            spec.context(result.extractorTrainingAccuracy(), result.complete()));
                    // A stopped run is not finished; the manifest says so (there is nothing to resume).
                    return StudyRun.Ending.of(result.complete(), "stopped early; the files hold what was measured");
                }
            }

            @Override
            public void writePartial(Path dir) throws IOException {
                // A failure (e.g. a diverging rule) still leaves what was measured before it.
                progress.close();
                if (!progress.points.isEmpty()) {
                    write(dir, spec.table(progress.points), spec.context(progress.trainingAccuracy, false));
                }
            }
        });
    }

    private static void write(Path dir, InvarianceTable table, InvarianceFiles.Context ctx) throws IOException {
        InvarianceFiles.write(dir, table, ctx);
        System.err.print(Files.readString(dir.resolve("summary.txt")));
    }

    /** A progress bar on a terminal, otherwise one line per measurement. */
    private static final class Progress implements InvarianceStudy.Listener, AutoCloseable {
        private final TerminalProgress display;
        private final List<InvarianceStudy.Point> points = new ArrayList<>();
        private final List<Double> trainingAccuracy = new ArrayList<>();

        Progress(long total) {
            display = new TerminalProgress("invariance", total);
        }

        @Override
        public void stepsDone(int steps) {
            display.step(steps);
        }

        @Override
        public void measured(InvarianceStudy.Point p) {
            points.add(p);
            String msg = String.format(Locale.ROOT, "%s %s seed %d%s: ridge %.3f logistic %.3f%s", p.method(),
                    InvarianceTable.name(p.permutation()), p.seed(), p.step() >= 0 ? " step " + p.step() : "",
                    p.ridgeAccuracy(), p.logisticAccuracy(), Double.isNaN(p.prototypeAccuracy()) ? ""
                            : String.format(Locale.ROOT, " prototype %.3f", p.prototypeAccuracy()));
            display.message(msg);
        }

        @Override
        public void extractorTrained(double accuracy) {
            trainingAccuracy.add(accuracy);
        }

        @Override
        public void close() {
            display.close();
        }
    }
}
