package org.metaunsup.train;

import java.util.ArrayList;
import java.util.List;
import org.metaunsup.config.ExperimentConfig;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The embedded engine: N worker threads in this JVM, each with its own {@link WorkerContext}
 * (data, task sampler, graphs). A worker takes the newest θ, runs one truncation and hands the
 * result to the trainer, which may apply an outer step right there (under its lock), then starts
 * its next truncation. With one worker this is fully sequential, hence bit-reproducible.
 */
public final class ThreadsEngine implements Engine {

    private final ExperimentConfig config;
    private final long seed;
    private final DataType dtype;
    private final List<Thread> threads = new ArrayList<>();

    /**
     * @param config the run's config
     * @param seed run seed
     * @param dtype graphs' floating type
     */
    public ThreadsEngine(ExperimentConfig config, long seed, DataType dtype) {
        this.config = config;
        this.seed = seed;
        this.dtype = dtype;
    }

    @Override
    public void start(Sink sink, List<WorkerState> workers) {
        for (WorkerState w : workers) {
            Thread t = new Thread(() -> loop(sink, w, workers.size()), "metatrain-worker-" + w.workerId());
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    private void loop(Sink sink, WorkerState initial, int threadCount) {
        try (WorkerContext ctx = new WorkerContext(config, seed, dtype, threadCount)) {
            WorkerState state = initial;
            while (sink.open()) {
                VersionedTheta th = sink.theta();
                Truncation t = Worker.run(ctx, state, th.theta(), th.version());
                state = t.after();
                sink.accept(t);
            }
        } catch (Throwable e) {
            sink.fail(e);
        }
    }

    @Override
    public String describe() {
        return "threads x" + threads.size();
    }

    @Override
    public void close() {
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
