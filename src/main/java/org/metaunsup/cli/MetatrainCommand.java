package org.metaunsup.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.metaunsup.BadInputException;
import org.metaunsup.train.MetaTrainer;
import org.metaunsup.train.MetricsRow;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code metatrain}: meta-trains θ into a run folder (docs/TRAINING.md). Ctrl-C or SIGTERM writes a
 * checkpoint and stops; {@code --resume} continues from the newest checkpoint that verifies.
 */
@Command(name = "metatrain", mixinStandardHelpOptions = true,
        description = "Meta-train the rule: truncations on alphabet tasks, Adam on theta, checkpoints, metrics, "
                + "held-out evaluation, theta exports.")
final class MetatrainCommand implements Callable<Integer> {

    @Option(names = "--config", description = "tiny, small, paper or a file (with --resume: default the run folder's)")
    String config;

    @Option(names = "--run-dir", required = true, description = "run folder (new, or an earlier run with --resume)")
    Path runDir;

    @Option(names = "--steps", defaultValue = "0", description = "stop after this outer step (default: run until stopped)")
    long steps;

    @Option(names = "--workers", defaultValue = "1", description = "truncations in flight (default: ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--engine", defaultValue = "threads", description = "threads or spark (default: ${DEFAULT-VALUE})")
    String engine;

    @Option(names = "--master", description = "Spark master, e.g. local[2] or spark://host:7077 (default: "
            + "spark-submit's, else local[N])")
    String master;

    @Option(names = "--resume", description = "continue the run folder from its newest good checkpoint")
    boolean resume;

    @Option(names = "--seed", description = "run seed (default 0; a resumed run keeps its own)")
    Long seed;

    @Option(names = "--eval-steps", defaultValue = "100", description = "inner steps of the held-out evaluation, "
            + "0 for none (default: ${DEFAULT-VALUE})")
    int evalSteps;

    @Option(names = "--eval-seeds", defaultValue = "2", description = "seeds of the held-out evaluation "
            + "(default: ${DEFAULT-VALUE})")
    int evalSeeds;

    @Override
    public Integer call() throws Exception {
        if (evalSteps < 0 || evalSeeds < 1) {
            throw new BadInputException("--eval-steps must be >= 0 and --eval-seeds >= 1");
        }
        MetaTrainer.Options o = new MetaTrainer.Options(runDir, config, steps, workers, engine, master, resume, seed,
                DataType.FLOAT, evalSteps, evalSeeds);
        Progress progress = new Progress();
        MetaTrainer trainer = new MetaTrainer(o, progress, null);
        ProcessSetup.init();
        MetaTrainer.Result r;
        try (StopSignal stop = new StopSignal(); progress) {
            r = trainer.run(stop::requested);
        }
        System.err.printf(Locale.ROOT, "outer step %d; %d gradients applied, %d dropped; last checkpoint %s%n",
                r.step(), r.applied(), r.dropped(), r.checkpoint());
        System.out.println(runDir.toAbsolutePath());
        return 0;
    }

    /** A progress bar on a terminal (ETA when --steps is given), otherwise a plain line every ~30 s. */
    private static final class Progress implements MetaTrainer.Listener, AutoCloseable {
        private static final long PLAIN_EVERY_NANOS = 30_000_000_000L;
        private ProgressBar bar;
        private long lastLine;
        private final boolean terminal = System.console() != null;

        @Override
        public void message(String line) {
            if (bar != null) {
                bar.pause();
                System.err.println();   // the bar's line has no newline of its own
                System.err.println(line);
                bar.resume();
            } else {
                System.err.println(line);
            }
        }

        @Override
        public void step(MetricsRow row, long target) {
            long step = row.outerStep();
            String msg = String.format(Locale.ROOT, "meta-loss %.4f, acc %.3f, %.1f grads/min, stale %.1f",
                    row.metaLoss(), row.queryAccuracy(), row.metaGradientsPerMinute(), row.stalenessMean());
            if (terminal) {
                if (bar == null) {
                    bar = new ProgressBarBuilder().setTaskName("metatrain").setInitialMax(target > 0 ? target : -1)
                            .setUnit(" steps", 1).setUpdateIntervalMillis(1000).startsFrom(step - 1, Duration.ZERO)
                            // Fixed width: a JLine terminal would reset SIGINT and lose the stop checkpoint.
                            .setConsumer(new ConsoleProgressBarConsumer(System.err, 150)).build();
                }
                bar.stepTo(step);
                bar.setExtraMessage(msg);
            } else if (System.nanoTime() - lastLine > PLAIN_EVERY_NANOS || step == target) {
                lastLine = System.nanoTime();
                System.err.println("outer step " + step + (target > 0 ? "/" + target : "") + ": " + msg);
            }
        }

        @Override
        public void evaluated(Map<String, Object> row) {
            message(String.format(Locale.ROOT, "held-out at outer step %s: MNIST ridge accuracy %.3f (init %.3f), "
                    + "meta-objective %.4f; alphabet test faces meta-objective %.4f; validation scripts ridge "
                    + "accuracy %.3f, meta-objective %.4f", row.get("outer_step"),
                    row.get("mnist_ridge_accuracy"), row.get("mnist_init_ridge_accuracy"), row.get("mnist_meta_loss"),
                    row.get("alphabet_test_meta_loss"), row.get("validation_ridge_accuracy"),
                    row.get("validation_meta_loss")));
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.close();
                bar = null;
            }
        }
    }
}
