package org.metaunsup.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.eval.CurvePoint;
import org.metaunsup.eval.curves.CurveTable;
import org.metaunsup.eval.EvalProtocol;
import org.metaunsup.eval.MeanSe;
import org.metaunsup.eval.RuleSource;
import org.metaunsup.eval.transfer.TransferFiles;
import org.metaunsup.eval.transfer.TransferSpec;
import org.metaunsup.eval.transfer.TransferStudy;
import org.metaunsup.report.Provenance;
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

    @Option(names = "--rule", required = true, description = "theta file (*.theta.fb), theta folder, 'default' (the theta "
            + "file in models/ whose card matches --config) or 'random' (meta-initialised)")
    String rule;

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

    @Option(names = "--methods", split = ",", defaultValue = "rule,none",
            description = "comma list of: rule, rule-init, none, raw, vae, beta-vae, supervised (default: ${DEFAULT-VALUE})")
    List<String> methods;

    @Mixin
    ReadoutOptions readout;

    @Mixin
    StudyOptions study;

    @Override
    public Integer call() throws Exception {
        study.requireOut();
        EvalProtocol protocol = readout.protocol(steps, Math.max(1, steps), seeds);
        TransferStudy.checkSizes("widths", widths);
        TransferStudy.checkSizes("depths", depths);
        long seed = study.seed;
        ExperimentConfig cfg = study.loadConfig();
        StudyRun run = study.check();   // before hours of work
        EvalInputs in = EvalInputs.load(cfg, study.dataset, null);
        cfg = in.config();
        RuleSource.Loaded loaded = RuleSource.load(rule, cfg, cfg.base().topWidth(), seed);
        if (rule.equals(RuleSource.DEFAULT)) {
            System.err.println("using " + loaded.description());
        }
        TransferSpec spec = new TransferSpec(cfg, in.data(), protocol, seed, loaded, methods, widths, depths);
        TransferStudy transfer = spec.study();
        TransferFiles.Description description = spec.description();
        Provenance provenance = spec.record(in.describe(Provenance.of("transfer", cfg), false)).build();

        // A process killed outright leaves the hidden temp folder, which holds every architecture
        // measured so far (the files are rewritten after each).
        return run.run(provenance, new StudyRun.Work() {
            private Progress progress;

            @Override
            public StudyRun.Ending run(Path dir, BooleanSupplier stop) throws IOException {
                System.err.println(spec.startLine(dir));
                Progress display = new Progress(transfer, dir, description);
                progress = display;
                try (display) {
                    TransferStudy.Result result = transfer.run(progress, stop);
                    progress.close();
                    TransferFiles.write(dir, result.measured(), transfer.labels(), description, result.complete());
                    System.err.print(Files.readString(dir.resolve("summary.txt")));
                    return StudyRun.Ending.of(result.complete(), "stopped early after " + result.measured().size()
                            + " of " + transfer.points().size() + " architectures");
                }
            }

            @Override
            public void writePartial(Path dir) throws IOException {
                if (progress != null) {
                    progress.close();
                    progress.write(false);
                }
            }
        });
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
