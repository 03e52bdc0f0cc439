package org.metaunsup.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.metaunsup.BadInputException;

/**
 * Draws {@link Task}s from a labelled dataset, deterministically from a seed.
 *
 * <p>For a seed, one {@link SplittableRandom} is split into named streams in a fixed
 * order (classes, labelled examples, permutation, augmentation, unlabelled stream), so
 * each choice is reproducible and no global random state is touched. Only classes with at
 * least {@code support + query + 1} images are eligible.
 *
 * <pre>{@code
 * TaskSampler sampler = new TaskSampler(Datasets.load("alphabet14").train(),
 *         TaskConfig.defaults().withAugmentation(Augmentation.ALPHABET));
 * Task task = sampler.sample(seed);
 * INDArray sx = task.support().features(DataType.FLOAT);   // [100, 196]
 * int[] sy = task.support().y();                           // 0..9
 * INDArray x0 = task.unlabelled(0, 128).features(DataType.FLOAT);
 * int[] perm = task.permutation();
 * }</pre>
 */
public final class TaskSampler {

    private final Dataset data;
    private final TaskConfig config;
    private final int[] eligible;

    /**
     * @param data a labelled dataset
     * @param config task shape
     * @throws BadInputException if the data is unlabelled or has too few usable classes
     */
    public TaskSampler(Dataset data, TaskConfig config) {
        if (!data.isLabelled()) {
            throw new BadInputException(data.name() + ": tasks need labels (support and query), "
                    + "but the data is unlabelled");
        }
        int need = config.supportPerClass() + config.queryPerClass() + 1;
        int[] counts = data.classCounts();
        List<Integer> ok = new ArrayList<>();
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] >= need) {
                ok.add(c);
            }
        }
        if (ok.size() < config.ways()) {
            throw new BadInputException(data.name() + ": a " + config.ways() + "-way task needs "
                    + config.ways() + " classes with at least " + need + " images each; only "
                    + ok.size() + " have");
        }
        this.data = data;
        this.config = config;
        this.eligible = ok.stream().mapToInt(Integer::intValue).toArray();
    }

    /** @return the dataset tasks are drawn from */
    public Dataset dataset() {
        return data;
    }

    /** @return the task configuration */
    public TaskConfig config() {
        return config;
    }

    /**
     * Draws one task.
     *
     * @param seed the task seed: same seed, same task (classes, batches, permutation, stream)
     * @return the task
     */
    public Task sample(long seed) {
        SplittableRandom root = new SplittableRandom(seed);
        SplittableRandom classRng = root.split();
        SplittableRandom exampleRng = root.split();
        SplittableRandom permRng = root.split();
        SplittableRandom augRng = root.split();
        long unlabelledSeed = root.nextLong();

        int n = config.ways();
        int[] classes = Arrays.copyOf(sampleWithoutReplacement(eligible, n, classRng), n);
        int s = config.supportPerClass();
        int q = config.queryPerClass();
        int[] sIdx = new int[n * s];
        int[] qIdx = new int[n * q];
        int[] sY = new int[n * s];
        int[] qY = new int[n * q];
        int poolSize = 0;
        int[][] rest = new int[n][];
        for (int j = 0; j < n; j++) {
            int[] all = data.indicesOfClass(classes[j]);
            shufflePrefix(all, s + q, exampleRng);
            for (int k = 0; k < s; k++) {
                sIdx[j * s + k] = all[k];
                sY[j * s + k] = j;
            }
            for (int k = 0; k < q; k++) {
                qIdx[j * q + k] = all[s + k];
                qY[j * q + k] = j;
            }
            rest[j] = Arrays.copyOfRange(all, s + q, all.length);
            poolSize += rest[j].length;
        }
        int[] pool = new int[poolSize];
        int p = 0;
        for (int[] r : rest) {
            System.arraycopy(r, 0, pool, p, r.length);
            p += r.length;
        }
        // Sorted so the pool (and hence every unlabelled batch) does not depend on the
        // order in which classes were drawn.
        Arrays.sort(pool);

        int d = data.dim();
        int[] perm = new int[d];
        for (int i = 0; i < d; i++) {
            perm[i] = i;
        }
        if (config.permute()) {
            shufflePrefix(perm, d, permRng);
        }
        Batch support = gather(data, sIdx, sY, config.augmentation(), augRng);
        Batch query = gather(data, qIdx, qY, config.augmentation(), augRng);
        return new Task(data, seed, classes, perm, support, sIdx, query, qIdx, pool, unlabelledSeed,
                config.augmentation());
    }

    /** Copies the given images (augmented with {@code rng}) into a batch. */
    static Batch gather(Dataset data, int[] idx, int[] y, Augmentation aug, SplittableRandom rng) {
        int d = data.dim();
        float[] x = new float[idx.length * d];
        Augmenter a = aug.isNone() ? null : new Augmenter(aug, data.channels(), data.height(), data.width());
        for (int i = 0; i < idx.length; i++) {
            data.copyImage(idx[i], x, i * d);
            if (a != null) {
                a.apply(x, i * d, rng);
            }
        }
        return new Batch(x, y == null ? null : y.clone(), idx.length, d);
    }

    /** Returns k distinct elements of {@code from} (partial Fisher-Yates on a copy). */
    static int[] sampleWithoutReplacement(int[] from, int k, SplittableRandom rng) {
        int[] a = from.clone();
        shufflePrefix(a, k, rng);
        return Arrays.copyOf(a, k);
    }

    /** Puts a uniformly random k-subset, in random order, into a[0..k). */
    static void shufflePrefix(int[] a, int k, SplittableRandom rng) {
        for (int i = 0; i < k && i < a.length - 1; i++) {
            int j = i + rng.nextInt(a.length - i);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** A 64-bit finaliser (murmur3) so nearby integers give unrelated seeds. */
    static long mix64(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }
}
