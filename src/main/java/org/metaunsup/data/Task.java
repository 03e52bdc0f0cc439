package org.metaunsup.data;

import java.util.SplittableRandom;

/**
 * One meta-training or evaluation task: N classes of a dataset, a labelled support and
 * query batch (class-balanced, disjoint), a stream of unlabelled batches for the inner
 * loop, and an input permutation. Immutable; every method is a pure function of the
 * task's seed and arguments, so a truncation can be recomputed or resumed exactly.
 *
 * <p>Labels are task-local: class {@code classes()[j]} of the dataset is label j.
 * Support and query rows are class-major (rows {@code j*k .. j*k+k-1} are label j).
 * Unlabelled batches come from the task's classes only, excluding every support and
 * query image.
 */
public final class Task {

    private final Dataset data;
    private final long seed;
    private final int[] classes;
    private final int[] perm;
    private final Batch support;
    private final Batch query;
    private final int[] supportIdx;
    private final int[] queryIdx;
    private final int[] pool;
    private final long unlabelledSeed;
    private final Augmentation aug;

    Task(Dataset data, long seed, int[] classes, int[] perm, Batch support, int[] supportIdx,
            Batch query, int[] queryIdx, int[] pool, long unlabelledSeed, Augmentation aug) {
        this.supportIdx = supportIdx;
        this.queryIdx = queryIdx;
        this.data = data;
        this.seed = seed;
        this.classes = classes;
        this.perm = perm;
        this.support = support;
        this.query = query;
        this.pool = pool;
        this.unlabelledSeed = unlabelledSeed;
        this.aug = aug;
    }

    /** @return the dataset the task draws from */
    public Dataset dataset() {
        return data;
    }

    /** @return the seed the task was drawn with */
    public long seed() {
        return seed;
    }

    /** @return N, the number of classes */
    public int ways() {
        return classes.length;
    }

    /** @return the dataset class of each task label (a copy) */
    public int[] classes() {
        return classes.clone();
    }

    /** @return D, the flattened input size */
    public int dim() {
        return data.dim();
    }

    /**
     * @return the input permutation (a copy): the permuted input is {@code x[:, perm]},
     *     i.e. permuted column j is original column perm[j]
     */
    public int[] permutation() {
        return perm.clone();
    }

    /** @return the labelled support batch [N*k, D], unpermuted */
    public Batch support() {
        return support;
    }

    /** @return the labelled query batch [N*k, D], unpermuted, disjoint from support */
    public Batch query() {
        return query;
    }

    /** @return the dataset index of each support row (a copy; for provenance and checks) */
    public int[] supportIndices() {
        return supportIdx.clone();
    }

    /** @return the dataset index of each query row (a copy) */
    public int[] queryIndices() {
        return queryIdx.clone();
    }

    /** @return number of images the unlabelled batches are drawn from */
    public int unlabelledPoolSize() {
        return pool.length;
    }

    /**
     * The unlabelled batch of one inner step: {@code batchSize} distinct images drawn
     * uniformly from the task's classes (support and query excluded), augmented if the
     * config says so. A pure function of (task seed, step, batchSize): different steps give
     * fresh batches, the same step gives the same batch.
     *
     * @param step inner step index (0, 1, ...)
     * @param batchSize number of images
     * @return an unlabelled batch [batchSize, D], unpermuted
     */
    public Batch unlabelled(long step, int batchSize) {
        if (batchSize < 1 || batchSize > pool.length) {
            throw new IllegalArgumentException("batch size " + batchSize + " outside 1.."
                    + pool.length + " (the task's unlabelled pool)");
        }
        SplittableRandom rng = stepStream(step);
        int[] idx = TaskSampler.sampleWithoutReplacement(pool, batchSize, rng);
        return TaskSampler.gather(data, idx, null, aug, rng.split());
    }

    /**
     * @param step inner step index
     * @param batchSize number of images
     * @return the dataset indices of {@link #unlabelled(long, int)}'s rows
     */
    public int[] unlabelledIndices(long step, int batchSize) {
        if (batchSize < 1 || batchSize > pool.length) {
            throw new IllegalArgumentException("batch size " + batchSize + " outside 1.." + pool.length);
        }
        return TaskSampler.sampleWithoutReplacement(pool, batchSize, stepStream(step));
    }

    /** The stream of one inner step: the task's unlabelled seed mixed with the step. */
    private SplittableRandom stepStream(long step) {
        return new SplittableRandom(TaskSampler.mix64(unlabelledSeed ^ TaskSampler.mix64(step + 1)));
    }

    /**
     * @return the support batch with the permutation applied (convenience for callers that
     *     permute outside the graph)
     */
    public Batch permutedSupport() {
        return support.permuted(perm);
    }

    /** @return the query batch with the permutation applied */
    public Batch permutedQuery() {
        return query.permuted(perm);
    }
}
