package org.metaunsup.dl4j;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.metaunsup.BadInputException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Turns a {@link DataSetIterator} of (unlabelled) images into the fixed-size batches an inner
 * step takes: features flattened to rows [n, D] (any labels are ignored), regrouped into batches
 * of exactly {@code batch} rows in the iterator's order, and, when it runs out, reset and read
 * again — so any number of inner steps can be drawn from a data set of any size ≥ batch.
 */
public final class UnlabelledBatches implements Iterator<INDArray> {

    private final DataSetIterator source;
    private final int batch;
    private final List<INDArray> pending = new ArrayList<>();
    private long pendingRows;
    private boolean sawAny;

    /**
     * @param source images; must support reset to be read more than once
     * @param batch rows per batch
     */
    public UnlabelledBatches(DataSetIterator source, int batch) {
        if (batch < 2) {
            throw new IllegalArgumentException("an inner step needs a batch of at least 2 examples");
        }
        this.source = source;
        this.batch = batch;
    }

    /**
     * @param features one DataSet's features, any rank ≥ 2
     * @return the same values as rows [n, D] (floating types kept, others as float32)
     */
    public static INDArray rows(INDArray features) {
        INDArray f = features.rank() == 2 ? features : features.reshape('c', features.size(0),
                features.length() / features.size(0));
        return f.dataType().isFPType() ? f : f.castTo(DataType.FLOAT);
    }

    @Override
    public boolean hasNext() {
        return true;
    }

    @Override
    public INDArray next() {
        while (pendingRows < batch) {
            if (!source.hasNext()) {
                if (!sawAny || !source.resetSupported()) {
                    throw new BadInputException(sawAny ? "the unlabelled data ran out and its iterator cannot reset"
                            : "the unlabelled data iterator is empty");
                }
                source.reset();
                if (!source.hasNext()) {
                    throw new NoSuchElementException("the unlabelled data iterator is empty after reset");
                }
            }
            DataSet ds = source.next();
            INDArray r = rows(ds.getFeatures());
            if (r.size(0) > 0) {
                sawAny = true;
                pending.add(r);
                pendingRows += r.size(0);
            }
        }
        INDArray all = pending.size() == 1 ? pending.get(0) : Nd4j.concat(0, pending.toArray(new INDArray[0]));
        INDArray out = all.get(NDArrayIndex.interval(0, batch),
                NDArrayIndex.all()).dup();
        pending.clear();
        pendingRows = all.size(0) - batch;
        if (pendingRows > 0) {
            pending.add(all.get(NDArrayIndex.interval(batch, all.size(0)),
                    NDArrayIndex.all()).dup());
        }
        return out;
    }
}
