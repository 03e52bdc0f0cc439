package org.metaunsup.train;

import java.util.ArrayList;
import java.util.List;
import org.metaunsup.config.ExperimentConfig;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The embedded engine: N worker threads in this JVM, each with its own {@link WorkerContext}
 * (data, task sampler, graphs). A worker takes the next slot of the task pool ({@link SlotQueue}) and the newest θ,
 * runs one truncation and hands the result to the trainer, which may apply an outer step right
 * there (under its lock), then puts the slot back and takes the next. With one worker this is fully
 * sequential, hence bit-reproducible.
 */
public final class ThreadsEngine implements Engine {

    private final ExperimentConfig config;
    private final long seed;
    private final DataType dtype;
    private final List<Thread> threads = new ArrayList<>();
    /** Where workers borrow their graph caches and hand them back when they end. */
    private final GraphCachePool graphCaches;

    /**
     * @param config the run's config
     * @param seed run seed
     * @param dtype graphs' floating type
     */
    public ThreadsEngine(ExperimentConfig config, long seed, DataType dtype) {
        this(config, seed, dtype, new GraphCachePool());
    }

    /**
     * An engine whose workers borrow their graphs from a pool the caller keeps, so that a later
     * engine in the same JVM (a resumed run, a test's second run) starts with graphs built.
     *
     * @param config the run's config
     * @param seed run seed
     * @param dtype graphs' floating type
     * @param graphCaches the pool workers borrow from and hand back to
     */
    public ThreadsEngine(ExperimentConfig config, long seed, DataType dtype, GraphCachePool graphCaches) {
        this.config = config;
        this.seed = seed;
        this.dtype = dtype;
        this.graphCaches = graphCaches;
    }

    @Override
    public void start(Sink sink, List<WorkerState> slots, int workers) {
        SlotQueue queue = new SlotQueue(slots, seed);
        int n = Math.min(workers, slots.size());
        for (int i = 0; i < n; i++) {
            Thread t = new Thread(() -> loop(sink, queue, n), "metatrain-worker-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    private void loop(Sink sink, SlotQueue queue, int threadCount) {
        try (WorkerContext ctx = new WorkerContext(config, seed, dtype, threadCount, graphCaches)) {
            while (sink.open()) {
                WorkerState state = queue.take(sink::open);
                if (state == null) {
                    break;
                }
                VersionedTheta th = sink.theta();
                Truncation t = Worker.run(ctx, state, th.theta(), th.version());
                FaultPoint.TRUNCATION.reach();
                sink.accept(t);
                queue.giveBack(t.after());
            }
        } catch (Throwable e) {
            sink.fail(e);
        }
    }

    @Override
    public String describe() {
        return "threads x" + threads.size();
    }

    /**
     * Waits up to {@link #CLOSE_WAIT_MILLIS} in all for the workers to end. A worker inside a long
     * graph build or truncation is not waited for: its result would be discarded anyway (the
     * trainer is closed), and a stop must not wait seconds to minutes for it. Worker threads are
     * daemons, so they do not keep the JVM alive.
     */
    @Override
    public void close() {
        long end = System.nanoTime() + CLOSE_WAIT_MILLIS * 1_000_000;
        for (Thread t : threads) {
            try {
                t.join(Math.max(1, (end - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** How long {@link #close} waits for workers in flight. */
    static final long CLOSE_WAIT_MILLIS = 1_000;
}
