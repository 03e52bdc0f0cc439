package org.metaunsup.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.metaunsup.BadInputException;
import org.metaunsup.data.DataSplits;
import org.metaunsup.data.Dataset;
import org.metaunsup.util.Seeds;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The data of one evaluation: an unlabelled training pool and a labelled held-out pool. With a
 * test split, the training split is the unlabelled pool (its labels are never read, except by the
 * supervised baseline's 10 examples per class) and the test split is held out; data without a test
 * split ({@code idx:} files) has a fixed sixth of its images held out (the MNIST ratio). Immutable.
 */
public final class EvalData {

    private final String name;
    private final Dataset train;
    private final int[] trainIdx;
    private final Dataset heldOut;
    private final int[] heldOutIdx;
    private final int classes;

    private EvalData(String name, Dataset train, int[] trainIdx, Dataset heldOut, int[] heldOutIdx) {
        this.name = name;
        this.train = train;
        this.trainIdx = trainIdx;
        this.heldOut = heldOut;
        this.heldOutIdx = heldOutIdx;
        this.classes = heldOut.numClasses();
    }

    /**
     * @param splits a loaded dataset; must be labelled
     * @return its evaluation pools
     * @throws BadInputException for unlabelled data
     */
    public static EvalData of(DataSplits splits) {
        Dataset train = splits.train();
        if (!train.isLabelled() || (splits.hasTest() && !splits.test().isLabelled())) {
            throw new BadInputException(splits.name() + ": evaluation needs labelled held-out data, "
                    + "but the data is unlabelled");
        }
        if (splits.hasTest()) {
            requireSameClasses(splits);
            return new EvalData(splits.name(), train, range(train.count()), splits.test(),
                    range(splits.test().count()));
        }
        // Fixed seed: the held-out part must not depend on the run's seed, so runs compare.
        int[] all = range(train.count());
        shuffle(all, new SplittableRandom(0x5eedL));
        int held = Math.max(1, train.count() / 6);
        int[] h = Arrays.copyOf(all, held);
        int[] t = Arrays.copyOfRange(all, held, all.length);
        Arrays.sort(h);
        Arrays.sort(t);
        return new EvalData(splits.name(), train, t, train, h);
    }

    /**
     * The readouts are fitted and scored on the held-out split's classes while the supervised
     * baseline learns from the training split's labels: both must name the same classes. The glyph
     * corpus is split by script (disjoint classes); its validation scripts are measured by
     * {@code heldout}, as tasks.
     */
    private static void requireSameClasses(DataSplits splits) {
        Dataset train = splits.train();
        Dataset test = splits.test();
        boolean same = train.numClasses() == test.numClasses();
        for (int c = 0; same && c < train.numClasses(); c++) {
            same = train.className(c).equals(test.className(c));
        }
        if (!same) {
            throw new BadInputException(splits.name() + ": its training and held-out splits hold different classes ("
                    + train.numClasses() + " and " + test.numClasses() + "), so a readout cannot be scored on them;"
                    + " measure a rule on the glyph validation scripts with 'heldout'");
        }
    }

    /** @return the dataset's name */
    public String name() {
        return name;
    }

    /** @return D, the flattened input width */
    public int dim() {
        return train.dim();
    }

    /** @return the number of classes C (the readouts are C-way) */
    public int classes() {
        return classes;
    }

    /** @return the image shape text, e.g. 1x14x14 */
    public String shapeText() {
        return train.shapeText();
    }

    /** @return the dataset holding the unlabelled pool */
    public Dataset trainSet() {
        return train;
    }

    /** @return number of unlabelled training images */
    public int unlabelledCount() {
        return trainIdx.length;
    }

    /** @return number of held-out labelled images */
    public int heldOutCount() {
        return heldOutIdx.length;
    }

    /**
     * The labelled examples of one seed: a fixed class-balanced query set and {@code draws} support
     * sets drawn from the rest of the held-out pool; plus {@code shots} labelled training examples
     * per class for the supervised baseline.
     *
     * @param p protocol sizes
     * @param seed the evaluation seed
     * @return the labelled sets
     * @throws BadInputException when the held-out pool is too small for the protocol
     */
    public Labelled labelled(EvalProtocol p, long seed) {
        int perClassQuery = Math.max(1, p.query() / classes);
        List<int[]> byClass = byClass(heldOut, heldOutIdx);
        for (int c = 0; c < classes; c++) {
            if (byClass.get(c).length < perClassQuery + p.shots()) {
                throw new BadInputException(name + ": held-out class " + c + " has " + byClass.get(c).length
                        + " images; the protocol needs " + (perClassQuery + p.shots())
                        + " (query per class + shots); use a smaller --query or --shots");
            }
        }
        SplittableRandom qRng = Seeds.stream(seed, "eval-query");
        SplittableRandom sRng = Seeds.stream(seed, "eval-support");
        int[] q = new int[perClassQuery * classes];
        int[] qy = new int[q.length];
        List<int[]> rest = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            int[] all = byClass.get(c).clone();
            shuffle(all, qRng);
            for (int k = 0; k < perClassQuery; k++) {
                q[c * perClassQuery + k] = all[k];
                qy[c * perClassQuery + k] = c;
            }
            rest.add(Arrays.copyOfRange(all, perClassQuery, all.length));
        }
        List<int[]> supports = new ArrayList<>();
        int[] sy = new int[p.shots() * classes];
        for (int c = 0; c < classes; c++) {
            Arrays.fill(sy, c * p.shots(), (c + 1) * p.shots(), c);
        }
        for (int d = 0; d < p.draws(); d++) {
            int[] s = new int[p.shots() * classes];
            for (int c = 0; c < classes; c++) {
                int[] r = rest.get(c).clone();
                partialShuffle(r, p.shots(), sRng);
                System.arraycopy(r, 0, s, c * p.shots(), p.shots());
            }
            supports.add(s);
        }
        List<int[]> trainByClass = byClass(train, trainIdx);
        SplittableRandom tRng = Seeds.stream(seed, "supervised-labels");
        int[] t = new int[p.shots() * classes];
        for (int c = 0; c < classes; c++) {
            int[] r = trainByClass.get(c).clone();
            if (r.length < p.shots()) {
                throw new BadInputException(name + ": training class " + c + " has only " + r.length + " images");
            }
            partialShuffle(r, p.shots(), tRng);
            System.arraycopy(r, 0, t, c * p.shots(), p.shots());
        }
        return new Labelled(this, q, qy, supports, sy, t, sy.clone());
    }

    /**
     * A seed's unlabelled stream: batches of {@code batch} training images in an order fixed by
     * the seed (a fresh shuffle per epoch), permuted by {@code perm}.
     *
     * @param seed evaluation seed
     * @param batch images per step
     * @param perm input permutation (permuted column j is original column perm[j])
     * @return a new stream, positioned at step 0
     */
    public UnlabelledStream unlabelled(long seed, int batch, int[] perm) {
        if (batch > trainIdx.length) {
            throw new BadInputException(name + ": batch " + batch + " exceeds the " + trainIdx.length
                    + " unlabelled images");
        }
        return new UnlabelledStream(this, Seeds.derive(seed, "eval-data-order"), batch, perm);
    }

    /**
     * @param seed evaluation seed
     * @return the seed's input permutation of the D pixels
     */
    public int[] permutation(long seed) {
        int[] p = range(dim());
        shuffle(p, Seeds.stream(seed, "eval-permutation"));
        return p;
    }

    /**
     * Gathers images as a permuted [n, D] array.
     *
     * @param fromTrain whether the indices refer to the training dataset (else the held-out one)
     * @param idx image indices
     * @param perm input permutation
     * @param dtype array type
     * @return the rows
     */
    public INDArray gather(boolean fromTrain, int[] idx, int[] perm, DataType dtype) {
        Dataset d = fromTrain ? train : heldOut;
        int dim = d.dim();
        float[] img = new float[dim];
        float[] out = new float[idx.length * dim];
        for (int i = 0; i < idx.length; i++) {
            d.copyImage(idx[i], img, 0);
            for (int j = 0; j < dim; j++) {
                out[i * dim + j] = img[perm[j]];
            }
        }
        return Nd4j.createFromArray(out).reshape(idx.length, dim).castTo(dtype);
    }

    int[] trainIndices() {
        return trainIdx;
    }

    /**
     * The whole unlabelled training pool as one array, for a baseline fitted on all of it at once
     * (PCA). Its labels are not read.
     *
     * @param perm input permutation
     * @param dtype array type
     * @return the images [unlabelled count, D], permuted, in index order
     */
    public INDArray unlabelledPool(int[] perm, DataType dtype) {
        return gather(true, trainIdx, perm, dtype);
    }

    /**
     * A class-balanced sample of the labelled training pool (never the held-out pool), for a
     * baseline that learns from labels: {@code perClass} images of every class, class-major.
     *
     * @param perClass images per class
     * @param rng draws them
     * @return training indices (labels: {@link #trainLabels})
     * @throws BadInputException when a class has fewer images
     */
    public int[] trainingSample(int perClass, SplittableRandom rng) {
        List<int[]> byClass = byClass(train, trainIdx);
        int[] t = new int[perClass * classes];
        for (int c = 0; c < classes; c++) {
            int[] r = byClass.get(c).clone();
            if (r.length < perClass) {
                throw new BadInputException(name + ": training class " + c + " has " + r.length
                        + " images, fewer than the " + perClass + " per class asked for");
            }
            partialShuffle(r, perClass, rng);
            System.arraycopy(r, 0, t, c * perClass, perClass);
        }
        return t;
    }

    /**
     * @param idx training indices
     * @return their labels
     */
    public int[] trainLabels(int[] idx) {
        int[] y = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            y[i] = train.label(idx[i]);
        }
        return y;
    }

    private List<int[]> byClass(Dataset d, int[] idx) {
        int[] n = new int[classes];
        for (int i : idx) {
            n[d.label(i)]++;
        }
        List<int[]> out = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            out.add(new int[n[c]]);
        }
        int[] fill = new int[classes];
        for (int i : idx) {
            int c = d.label(i);
            out.get(c)[fill[c]++] = i;
        }
        return out;
    }

    /**
     * @param n length
     * @return 0, 1, …, n−1 (the identity permutation)
     */
    public static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    /**
     * Shuffles in place (Fisher–Yates).
     *
     * @param a the array
     * @param rng draws the swaps
     */
    public static void shuffle(int[] a, SplittableRandom rng) {
        partialShuffle(a, a.length, rng);
    }

    /** Fisher–Yates on the first k positions: a[0..k) becomes a uniform k-subset in random order. */
    static void partialShuffle(int[] a, int k, SplittableRandom rng) {
        for (int i = 0; i < Math.min(k, a.length - 1); i++) {
            int j = i + rng.nextInt(a.length - i);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /**
     * The labelled examples of one seed (indices into the held-out or training dataset).
     *
     * @param data the pools they index
     * @param query query indices (held-out), class-major
     * @param queryY query labels
     * @param supports one index array per support draw (held-out), class-major
     * @param supportY labels of every support draw (the same class-major order)
     * @param supervised labelled training examples for the supervised baseline
     * @param supervisedY their labels
     */
    public record Labelled(EvalData data, int[] query, int[] queryY, List<int[]> supports, int[] supportY,
                           int[] supervised, int[] supervisedY) {

        /** @return rows of the evaluation batch: the query, then every support draw */
        public int evalRows() {
            return query.length + supports.size() * supportY.length;
        }

        /**
         * @param perm input permutation
         * @param dtype array type
         * @return the evaluation batch [query + draws·support, D], permuted: every method computes
         *     features of all rows in one pass
         */
        public INDArray evalBatch(int[] perm, DataType dtype) {
            int[] all = new int[evalRows()];
            System.arraycopy(query, 0, all, 0, query.length);
            int o = query.length;
            for (int[] s : supports) {
                System.arraycopy(s, 0, all, o, s.length);
                o += s.length;
            }
            return data.gather(false, all, perm, dtype);
        }

        /**
         * @param perm input permutation
         * @param dtype array type
         * @return the supervised baseline's labelled training inputs, permuted
         */
        public INDArray supervisedBatch(int[] perm, DataType dtype) {
            return data.gather(true, supervised, perm, dtype);
        }
    }
}
