package org.metaunsup.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Stacked MNIST: three MNIST digits as the three channels of one image (channel-major,
 * 3 x 28 x 28), label {@code 100*a + 10*b + c} for digits a, b, c in channels 0, 1, 2
 * (1000 classes). Images are composed on access, so the set costs three ints per item.
 * The digit triples are drawn uniformly with replacement from one MNIST split by a
 * {@link SplittableRandom} seeded with the given seed: same seed, same set.
 */
public final class StackedMnist extends Dataset {

    /** Seed used by {@link Datasets} for {@code stacked-mnist}. */
    public static final long DEFAULT_SEED = 20180401L;

    private static final List<String> TRIPLES;

    static {
        List<String> l = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            l.add(String.format("%03d", i));
        }
        TRIPLES = List.copyOf(l);
    }

    private final Dataset base;
    private final int[] sources;

    private StackedMnist(String name, Dataset base, int[] sources, int[] labels) {
        super(name, labels.length, 3, base.height(), base.width(), labels, 1000, TRIPLES);
        this.base = base;
        this.sources = sources;
    }

    /**
     * Builds a stacked set from one labelled single-channel digit set.
     *
     * @param name name of the result, e.g. {@code stacked-mnist/train}
     * @param digits source digits (one channel, labels 0..9)
     * @param count number of stacked images
     * @param seed seed of the triple draw
     * @return the stacked dataset
     */
    public static StackedMnist of(String name, Dataset digits, int count, long seed) {
        if (digits.channels() != 1 || digits.numClasses() != 10) {
            throw new IllegalArgumentException("stacked MNIST needs one-channel 10-class digits");
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int[] src = new int[3 * count];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            int y = 0;
            for (int c = 0; c < 3; c++) {
                int j = rng.nextInt(digits.count());
                src[3 * i + c] = j;
                y = 10 * y + digits.label(j);
            }
            labels[i] = y;
        }
        return new StackedMnist(name, digits, src, labels);
    }

    /**
     * @param i image index
     * @return the three source indices (channels 0, 1, 2) into the digit set
     */
    public int[] sourcesOf(int i) {
        return new int[] {sources[3 * i], sources[3 * i + 1], sources[3 * i + 2]};
    }

    @Override
    public void copyImage(int i, float[] dst, int offset) {
        int plane = base.dim();
        for (int c = 0; c < 3; c++) {
            base.copyImage(sources[3 * i + c], dst, offset + c * plane);
        }
    }

    @Override
    protected Dataset downsampleBy(int f) {
        // Stay lazy: stack the downsampled digits with the same triples.
        Dataset small = base.downsample(base.height() / f);
        return new StackedMnist(nameWithSize(small.height()), small, sources, labels());
    }
}
