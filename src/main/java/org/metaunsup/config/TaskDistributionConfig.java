package org.metaunsup.config;

import java.util.List;

/**
 * How meta-training draws its tasks (docs/METHOD.md#tasks): the base architecture's ranges, the total
 * inner length T of a task and the truncation length k, and the pool of tasks in progress.
 * Evaluation and traces ignore it.
 *
 * @param hiddenLayers sampled number of hidden layers
 * @param hiddenWidth sampled hidden width
 * @param innerSteps total inner length T of a task (log-uniform)
 * @param truncation inner steps k of one truncation of the backprop estimator (log-uniform)
 * @param augmentation whether the task sampler distorts every image it draws ({@code alphabet}: the
 *     sampler's alphabet distortions, applied to every dataset of the mix; {@code none})
 * @param datasets the datasets tasks are drawn from and their weights ({@code task.datasets})
 * @param pool tasks in progress at once ({@code task.pool}); {@link #POOL_WORKERS} for one per worker
 * @param stagger whether the first task of each pool slot starts at a random fraction of its T
 */
public record TaskDistributionConfig(IntRange hiddenLayers, IntRange hiddenWidth, IntRange innerSteps,
                                     IntRange truncation, String augmentation, DatasetMix datasets, int pool,
                                     boolean stagger) {

    /** The values {@code task.augmentation} accepts. */
    public static final List<String> AUGMENTATIONS = List.of("none", "alphabet");

    /** {@code task.pool = workers}: one task in progress per worker (as many slots as workers). */
    public static final int POOL_WORKERS = 0;

    /**
     * @param workers workers of the run
     * @return the number of pool slots
     */
    public int poolSize(int workers) {
        return pool == POOL_WORKERS ? workers : pool;
    }
}
