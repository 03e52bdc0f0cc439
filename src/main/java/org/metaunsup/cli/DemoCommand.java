package org.metaunsup.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import org.metaunsup.BadInputException;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.data.DataSplits;
import org.metaunsup.data.Datasets;
import org.metaunsup.eval.curves.DemoFiles;
import org.metaunsup.eval.curves.DemoStudy;
import org.metaunsup.eval.curves.InnerLoop;
import org.metaunsup.eval.RuleSource;
import org.metaunsup.report.Provenance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code demo}, the main job: apply a rule to fresh base models on unlabelled 14×14 MNIST and
 * compare the 10-shot ridge accuracy of the features with random features (the rule never
 * applied). Writes a learning curve (CSV, PNG) and a summary into a run folder; Ctrl-C stops after
 * the current task and writes the tasks done.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Apply the shipped rule (the models/*.theta.fb whose card matches --config) to fresh base "
                + "models on unlabelled MNIST 14x14; compare 10-shot accuracy with random features.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--rule", defaultValue = RuleSource.DEFAULT, description = "theta file (*.theta.fb), theta "
            + "folder, 'random' (the meta-initialised rule) or 'default': the theta file in models/ whose card "
            + "matches --config, preferring models/<config>.theta.fb (default: ${DEFAULT-VALUE})")
    String rule;

    @Option(names = "--steps", defaultValue = "200", description = "inner steps (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--every", defaultValue = "20", description = "evaluation period (default: ${DEFAULT-VALUE})")
    int every;

    @Option(names = "--seeds", defaultValue = "3", description = "tasks/base models averaged (default: ${DEFAULT-VALUE})")
    int seeds;

    @Mixin
    StudyOptions study;

    @Override
    public Integer call() throws Exception {
        if (steps < 1 || every < 1 || seeds < 1) {
            throw new BadInputException("--steps, --every and --seeds must be >= 1");
        }
        ExperimentConfig loadedCfg = study.loadConfig();
        StudyRun run = study.check();   // before loading anything
        ProcessSetup.init();
        // The rule before the data: a missing shipped rule is said at once. Neither depends on the other.
        // Which rule is used is said once both are known, so that bad input stays one line.
        RuleSource.Adopted adopted = RuleSource.shipped(rule, loadedCfg, study.seed);
        DataSplits data = Datasets.load(study.dataset);
        System.err.println(adopted.message());
        ExperimentConfig cfg = adopted.config().withInputWidth(data.train().dim());
        RuleSource.Loaded loaded = adopted.rule();
        DemoStudy demo = new DemoStudy(cfg, data, loaded, steps, every, seeds, study.seed);
        DemoFiles.Description description = new DemoFiles.Description(loaded.description(), study.dataset, steps);
        Provenance provenance = Provenance.of("demo", cfg).seed("run", study.seed)
                .seed("tasks", "task-<i> streams of the run seed, i < " + seeds)
                .field("dataset", study.dataset).field("rule", loaded.spec()).field("base", cfg.base().describe())
                .field("inner_steps", steps).build();
        return run.run(provenance, new StudyRun.Work() {
            @Override
            public StudyRun.Ending run(Path dir, BooleanSupplier stop) throws Exception {
                DemoStudy.Curves curves = demo.run(new Progress(loaded.description()), stop);
                writePartial(dir);
                return StudyRun.Ending.of(curves.tasks() == seeds, "stopped early after " + curves.tasks() + " of "
                        + seeds + " tasks; the curves hold those");
            }

            @Override
            public void writePartial(Path dir) throws IOException {
                if (demo.measured().tasks() > 0) {
                    System.err.print(DemoFiles.write(dir, demo.measured(), description));
                }
            }
        });
    }

    /** One line per task and per measurement on standard error. */
    private final class Progress implements DemoStudy.Listener {
        private final String rule;

        Progress(String rule) {
            this.rule = rule;
        }

        @Override
        public void taskStarted(int task) {
            System.err.printf(Locale.ROOT, "task %d/%d: %d inner steps of the %s%n", task + 1, seeds, steps, rule);
        }

        @Override
        public void measured(int task, InnerLoop.Point p) {
            System.err.printf(Locale.ROOT, "  task %d step %4d  meta-loss %.4f  10-shot accuracy %.3f%n",
                    task + 1, p.step(), p.metaLoss(), p.queryAccuracy());
        }
    }
}
