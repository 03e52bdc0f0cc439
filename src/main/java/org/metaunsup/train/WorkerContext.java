package org.metaunsup.train;

import org.metaunsup.BadInputException;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.data.Augmentation;
import org.metaunsup.data.DataSplits;
import org.metaunsup.data.Datasets;
import org.metaunsup.data.Task;
import org.metaunsup.data.TaskConfig;
import org.metaunsup.data.TaskSampler;
import org.metaunsup.unroll.UnrollGraphCache;
import org.metaunsup.util.NativeBudget;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * What one thread needs to run truncations: the training data, the task sampler and its own graph
 * cache. Not thread-safe (the graphs are not): one per worker thread, or per Spark executor thread.
 */
public final class WorkerContext implements AutoCloseable {

    /**
     * System property that sets the memory (MiB) one thread's cached graphs may hold; without it,
     * {@link #DEFAULT_GRAPH_SHARE} of the native memory limit split among the threads.
     */
    public static final String GRAPH_CACHE_MB_PROPERTY = "metaunsup.graph_cache_mb";

    /**
     * Share of the JVM's native memory limit that all threads' graph caches may hold together. The
     * rest is each thread's working set of a pass (1–2 GB at small K=10) and the JVM itself.
     */
    static final double DEFAULT_GRAPH_SHARE = 0.4;

    private final ExperimentConfig config;
    private final TaskDraws draws;
    private final TaskSampler sampler;
    private final UnrollGraphCache graphs;
    private final GraphCachePool pool;
    private final long budget;
    private final DataType dtype;
    private Task lastTask;

    /**
     * @param config the run's config
     * @param seed run seed
     * @param dtype floating type of the graphs
     */
    public WorkerContext(ExperimentConfig config, long seed, DataType dtype) {
        this(config, seed, dtype, Runtime.getRuntime().availableProcessors());
    }

    /**
     * @param config the run's config
     * @param seed run seed
     * @param dtype floating type of the graphs
     * @param threads worker threads of this JVM that share its memory (each has its own context)
     */
    public WorkerContext(ExperimentConfig config, long seed, DataType dtype, int threads) {
        this(config, seed, dtype, threads, null);
    }

    /**
     * @param config the run's config
     * @param seed run seed
     * @param dtype floating type of the graphs
     * @param threads worker threads of this JVM that share its memory (each has its own context)
     * @param pool where the graph cache is borrowed from and handed back to on {@link #close()}
     *     (the engine's), or null for a cache of this context's own
     */
    public WorkerContext(ExperimentConfig config, long seed, DataType dtype, int threads, GraphCachePool pool) {
        this.config = config;
        this.pool = pool;
        this.budget = graphBudget(threads);
        this.dtype = dtype;
        this.draws = new TaskDraws(seed, config.task(), config.base().inputWidth(), config.base().topWidth());
        DataSplits data = trainingData(config);
        TaskConfig tc = TaskConfig.forObjective(config.objective())
                .withAugmentation("alphabet".equals(config.task().augmentation()) ? Augmentation.ALPHABET
                        : Augmentation.NONE);
        this.sampler = new TaskSampler(data.train(), tc);
        this.graphs = pool == null ? UnrollGraphCache.byMemory(config.graph(), budget)
                : pool.borrow(config.graph(), budget);
    }

    /**
     * @param threads worker threads sharing this JVM
     * @return bytes one thread's graph cache may hold
     */
    static long graphBudget(int threads) {
        return NativeBudget.bytesPerThread(GRAPH_CACHE_MB_PROPERTY, DEFAULT_GRAPH_SHARE, threads);
    }

    /** Hands this context's graphs back to its pool, if any; the context is not used afterwards. */
    @Override
    public void close() {
        if (pool != null) {
            pool.giveBack(config.graph(), budget, graphs);
        }
    }

    /**
     * The meta-training data of a config: the rendered alphabet's training faces at the size the
     * config's input width asks for (base.input = side²).
     *
     * @param config the config
     * @return the loaded splits
     * @throws BadInputException when base.input is not the square of a size that divides 28
     */
    public static DataSplits trainingData(ExperimentConfig config) {
        return Datasets.load("alphabet" + side(config));
    }

    /**
     * @param config a config
     * @return the image side √base.input
     * @throws BadInputException when base.input is not a square whose side divides 28
     */
    public static int side(ExperimentConfig config) {
        int d = config.base().inputWidth();
        int side = (int) Math.round(Math.sqrt(d));
        if (side * side != d || 28 % side != 0) {
            throw new BadInputException("config " + config.name() + ": base.input = " + d + " must be the square "
                    + "of an image size that divides 28 (16, 49, 196, 784) to meta-train on the alphabet");
        }
        return side;
    }

    /** @return the config */
    public ExperimentConfig config() {
        return config;
    }

    /** @return the random choices of the run */
    public TaskDraws draws() {
        return draws;
    }

    /** @return this thread's graph cache */
    public UnrollGraphCache graphs() {
        return graphs;
    }

    /** @return the graphs' floating type */
    public DataType dtype() {
        return dtype;
    }

    /**
     * @param seed task seed
     * @return the task (the last one is kept: a worker runs many truncations of one task)
     */
    public Task task(long seed) {
        if (lastTask == null || lastTask.seed() != seed) {
            lastTask = sampler.sample(seed);
        }
        return lastTask;
    }
}
