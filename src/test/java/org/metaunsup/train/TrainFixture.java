package org.metaunsup.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.metaunsup.cli.ProcessSetup;
import org.metaunsup.testing.TinyConfig;
import org.nd4j.linalg.api.buffer.DataType;

/** Runs meta-training in the test JVM and keeps what it said. */
final class TrainFixture {

    /** Messages and metrics rows of one run. */
    static final class Log implements MetaTrainer.Listener {
        final List<String> messages = Collections.synchronizedList(new ArrayList<>());
        final List<MetricsRow> rows = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void message(String line) {
            messages.add(line);
        }

        @Override
        public void step(MetricsRow row, long target) {
            rows.add(row);
        }
    }

    private TrainFixture() {}

    /** {@link TinyConfig#ONE_GRAPH} with one gradient per outer step. */
    static final String CONFIG = TinyConfig.ONE_GRAPH + "outer.batch = 1\nouter.checkpoint_every = 2\nouter.eval_every = 2\n";

    /**
     * @param dir run folder; the config file is written beside it
     * @param steps target outer step
     * @param workers N
     * @return options of a test run (threads, no held-out evaluation)
     */
    static MetaTrainer.Options tiny(Path dir, long steps, int workers) throws IOException {
        return tiny(dir, steps, workers, "");
    }

    /**
     * @param dir run folder; the config file is written beside it
     * @param steps target outer step
     * @param workers N
     * @param extra config lines added to {@link #CONFIG}
     * @return options of a test run (threads, no held-out evaluation)
     */
    static MetaTrainer.Options tiny(Path dir, long steps, int workers, String extra) throws IOException {
        ProcessSetup.init();
        Path cfg = dir.resolveSibling(dir.getFileName() + "-tiny.properties");
        Files.writeString(cfg, CONFIG + extra);
        return MetaTrainer.Options.threads(dir, cfg.toString(), steps, workers).withEvaluation(0, 1);
    }

    static MetaTrainer.Result run(MetaTrainer.Options o, Log log, MetaTrainer.Hooks hooks) throws IOException {
        return new MetaTrainer(o, log, hooks).run(() -> false);
    }

    /** θ (float64) of the newest checkpoint that verifies. */
    static double[] checkpointTheta(Path dir) throws IOException {
        return Checkpoint.newest(dir, DataType.FLOAT, m -> {}).checkpoint().learner().theta();
    }
}
