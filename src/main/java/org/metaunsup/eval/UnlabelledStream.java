package org.metaunsup.eval;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The unlabelled minibatches one method sees, in order: epochs over the training pool, each a fresh
 * shuffle from the seed, cut into batches (a batch never spans two epochs). The same seed gives
 * every method the same batches in the same order.
 */
public final class UnlabelledStream {

    private final EvalData data;
    private final SplittableRandom rng;
    private final int batch;
    private final int[] perm;
    private int[] order;
    private int pos;

    UnlabelledStream(EvalData data, long seed, int batch, int[] perm) {
        this.data = data;
        this.rng = new SplittableRandom(seed);
        this.batch = batch;
        this.perm = perm.clone();
        this.order = data.trainIndices().clone();
        this.pos = order.length;   // shuffled on first use
    }

    /** @return images per batch */
    public int batchSize() {
        return batch;
    }

    /**
     * @param dtype array type
     * @return the next batch [B, D], permuted
     */
    public INDArray next(DataType dtype) {
        if (pos + batch > order.length) {
            EvalData.shuffle(order, rng);
            pos = 0;
        }
        int[] idx = Arrays.copyOfRange(order, pos, pos + batch);
        pos += batch;
        return data.gather(true, idx, perm, dtype);
    }
}
