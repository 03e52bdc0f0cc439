package org.metaunsup.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.metaunsup.DivergenceException;
import org.metaunsup.config.ConfigLoader;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.config.TaskDistributionConfig;
import org.metaunsup.data.DataSplits;
import org.metaunsup.eval.CurvePoint;
import org.metaunsup.eval.CurveTable;
import org.metaunsup.eval.EvalData;
import org.metaunsup.eval.EvalProtocol;
import org.metaunsup.eval.MeanSe;
import org.metaunsup.eval.RuleSource;
import org.metaunsup.eval.TransferFiles;
import org.metaunsup.eval.TransferStudy;
import org.metaunsup.io.AtomicFolder;
import org.metaunsup.io.OutputPaths;
import org.metaunsup.report.RunFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code transfer}: architecture transfer, the paper's Figure 3 (docs/EVALUATION.md). One frozen θ
 * on fresh base models of other hidden widths and depths, each measured at step 0 and after N
 * steps with the learning-curve protocol, beside the no-rule reference. Writes
 * {@code transfer.csv}, {@code transfer.png}, {@code summary.txt}, {@code figures.json}, the
 * resolved config and a manifest; the files are rewritten after every architecture, and Ctrl-C
 * (SIGTERM) stops and keeps what was measured.
 */
@Command(name = "transfer", mixinStandardHelpOptions = true,
        description = "Architecture transfer (Figure 3): one frozen rule on base models of other widths and depths, "
                + "few-shot readouts at step 0 and after N steps, mean +- standard error over seeds.")
final class TransferCommand implements Callable<Integer> {

    @Option(names = "--rule", required = true, description = "theta file (*.theta.fb), theta folder or 'random' (meta-initialised)")
    String rule;

    @Option(names = "--dataset", defaultValue = "mnist14", description = "NAME or idx:IMAGES,LABELS (default: ${DEFAULT-VALUE})")
    String dataset;

    @Option(names = "--config", defaultValue = "small", description = "rule widths, inner batch, eta, and the base model "
            + "the sweeps start from (default: ${DEFAULT-VALUE})")
    String config;

    @Option(names = "--widths", split = ",", defaultValue = "32,64,128,256,512,1024,2048",
            description = "hidden widths of the width sweep; depth = the config's hidden layers (default: ${DEFAULT-VALUE})")
    List<Integer> widths;

    @Option(names = "--depths", split = ",", defaultValue = "1,2,3,4,5,6,7,8",
            description = "hidden layers of the depth sweep; width = the config's first hidden width (default: ${DEFAULT-VALUE})")
    List<Integer> depths;

    @Option(names = "--steps", required = true, description = "training steps N at every architecture (measured at 0 and N)")
    int steps;

    @Option(names = "--seeds", required = true, description = "seeds averaged at every architecture")
    int seeds;

    @Option(names = "--seed", defaultValue = "0", description = "run seed, the same for every architecture (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--methods", split = ",", defaultValue = "rule,none",
            description = "comma list of: rule, rule-init, none, raw, vae, beta-vae, supervised (default: ${DEFAULT-VALUE})")
    List<String> methods;

    @Mixin
    ReadoutOptions readout;

    @Option(names = "--out", required = true, description = "run folder")
    Path out;

    @Override
    public Integer call() throws Exception {
        EvalProtocol protocol = readout.protocol(steps, Math.max(1, steps), seeds);
        TransferStudy.checkSizes("widths", widths);
        TransferStudy.checkSizes("depths", depths);
        ExperimentConfig cfg = ConfigLoader.load(config);
        OutputPaths.folder(out, "--out", RunFolder.MANIFEST);   // before hours of work
        EvalInputs in = EvalInputs.load(cfg, dataset, null);
        cfg = in.config();
        DataSplits splits = in.splits();
        EvalData data = in.data();
        RuleSource.Loaded loaded = RuleSource.load(rule, cfg, cfg.base().topWidth(), seed);
        TransferStudy study = new TransferStudy(cfg, data, protocol, seed, loaded, methods, widths, depths);
        // The range shaded in the figure is the one θ was meta-trained on when its file says so.
        TaskDistributionConfig trained = loaded.recordedTasks() != null ? loaded.recordedTasks() : cfg.task();
        String rangeSource = loaded.recordedTasks() != null ? "recorded in the theta file's card"
                : "task.* of config " + cfg.name();
        String ruleName = loaded.isRandom() ? "meta-initialised rule (random theta)"
                : "rule " + Path.of(rule).getFileName();
        TransferFiles.Description description = new TransferFiles.Description(String.format(Locale.ROOT,
                "Architecture transfer on %s: %s, %d-shot, %d seeds", splits.name(), ruleName, readout.shots, seeds),
                study.protocol().describe(), loaded.description(), steps,
                TransferStudy.trainingRange(trained, TransferStudy.Axis.WIDTH),
                TransferStudy.trainingRange(trained, TransferStudy.Axis.DEPTH), rangeSource);

        Map<String, Object> seedInfo = new LinkedHashMap<>();
        seedInfo.put("run", seed);
        List<Long> derived = new ArrayList<>();
        for (int i = 0; i < seeds; i++) {
            derived.add(study.seed(i));
        }
        seedInfo.put("evaluation_seeds", derived);
        seedInfo.put("derivation", "seed i = Seeds.derive(run, \"seed-i\"), the same at every architecture; per seed: "
                + "phi-init, eval-permutation, eval-data-order, eval-query, eval-support, logistic-init");
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("dataset", splits.name());
        extra.put("data_shape", data.shapeText());
        extra.put("rule", loaded.description());
        extra.put("rule_top_units", loaded.topUnits());
        extra.put("widths", widths);
        extra.put("depths", depths);
        extra.put("steps", steps);
        extra.put("seeds_per_architecture", seeds);
        extra.put("methods", new ArrayList<>(study.labels().keySet()));
        List<Map<String, Object>> archs = new ArrayList<>();
        for (TransferStudy.Point p : study.points()) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("axis", p.axis().id());
            a.put("width", p.width());
            a.put("depth", p.depth());
            a.put("base", p.base().describe());
            archs.add(a);
        }
        extra.put("architectures", archs);
        Map<String, Object> range = new LinkedHashMap<>();
        range.put("hidden_width", description.widthRange().toString());
        range.put("hidden_layers", description.depthRange().toString());
        range.put("source", rangeSource);
        extra.put("meta_training_range", range);
        extra.put("protocol", study.protocol().describe());

        // The folder is written beside its target and renamed into place when the study ends
        // (finished, stopped or failed); a process killed outright leaves the hidden temp folder,
        // which holds every architecture measured so far.
        try (AtomicFolder folder = AtomicFolder.begin(out, "--out", RunFolder.MANIFEST)) {
            RunFolder run = RunFolder.create(folder.dir(), "transfer", cfg, seedInfo, extra);
            System.err.println("transfer: " + study.points().size() + " architectures, methods "
                    + String.join(", ", study.labels().keySet()) + ", " + steps + " steps, " + seeds
                    + " seeds each; results so far in " + folder.dir());
            Progress progress = new Progress(study, run.dir(), description);
            try (StopSignal stop = new StopSignal(); progress) {
                TransferStudy.Result result;
                try {
                    result = study.run(progress, stop::requested);
                } catch (DivergenceException e) {
                    keepUnfinished(run, folder, RunFolder.Status.DIVERGED, e, progress);
                    throw e.withNote("run folder " + out + " holds what was measured before (finished: false)");
                } catch (RuntimeException | Error e) {
                    keepUnfinished(run, folder, RunFolder.Status.FAILED, e, progress);
                    throw e;
                }
                progress.close();
                TransferFiles.write(run.dir(), result.measured(), study.labels(), description, result.complete());
                System.err.print(Files.readString(run.dir().resolve("summary.txt")));
                run.finish(result.complete() ? RunFolder.Status.FINISHED : RunFolder.Status.STOPPED,
                        result.complete() ? null : "stopped early after " + result.measured().size() + " of "
                                + study.points().size() + " architectures");
                folder.commit();
            }
        }
        System.out.println(out.toAbsolutePath());
        return 0;
    }

    /** Writes what was measured, records how the run ended and keeps the folder; never hides the cause. */
    private static void keepUnfinished(RunFolder run, AtomicFolder folder, RunFolder.Status status, Throwable cause,
                                       Progress progress) {
        try {
            progress.close();
            progress.write(false);
            run.finish(status, Failures.oneLine(String.valueOf(cause.getMessage())));
            folder.commit();
            System.err.println("partial results written to " + folder.target());
        } catch (RuntimeException | IOException e) {
            cause.addSuppressed(e);
        }
    }

    /**
     * A progress bar on a terminal, otherwise one line per architecture; after every architecture
     * the files are rewritten, so that a run killed outright still leaves its results.
     */
    private static final class Progress implements TransferStudy.Listener, AutoCloseable {
        private final TransferStudy study;
        private final Path dir;
        private final TransferFiles.Description description;
        private final List<TransferStudy.Measured> measured = new ArrayList<>();
        private final TerminalProgress display;

        Progress(TransferStudy study, Path dir, TransferFiles.Description description) {
            this.study = study;
            this.dir = dir;
            this.description = description;
            this.display = new TerminalProgress("transfer", study.totalSteps());
        }

        @Override
        public void stepsDone(int steps) {
            display.step(steps);
        }

        @Override
        public void measured(TransferStudy.Measured m) {
            measured.add(m);
            String msg = line(m);
            display.message(msg);
            if (m.complete()) {
                // A partial architecture is written by whoever ends the run, with its status.
                try {
                    write(false);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }

        void write(boolean complete) throws IOException {
            TransferFiles.write(dir, measured, study.labels(), description, complete);
        }

        private String line(TransferStudy.Measured m) {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%d/%d %s %d x %d (%s): %.1f s%s;",
                    measured.size(), study.points().size(), m.point().axis().id(), m.point().width(),
                    m.point().depth(), m.point().base().describe(), m.seconds(),
                    m.reused() ? " (measured on the other axis)" : m.complete() ? "" : " (incomplete)"));
            CurveTable t = new CurveTable(m.points(), study.labels());
            for (String method : t.methods()) {
                CurveTable.Row r = t.at(method, description.steps());
                if (r != null && r.step() == description.steps()) {
                    MeanSe v = r.values().get(CurvePoint.Metric.RIDGE_ACCURACY);
                    sb.append(String.format(Locale.ROOT, " %s ridge %.3f ± %.3f", method, v.mean(), v.se()));
                }
            }
            return sb.toString();
        }

        @Override
        public void close() {
            display.close();
        }
    }
}
