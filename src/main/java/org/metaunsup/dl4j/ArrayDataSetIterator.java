package org.metaunsup.dl4j;

import java.util.List;
import java.util.NoSuchElementException;
import org.metaunsup.data.Dataset;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A resettable {@link DataSetIterator} over rows held in memory: features [n, D] and optional
 * one-hot labels [n, C] (null for unlabelled data), in order, in minibatches.
 */
public final class ArrayDataSetIterator implements DataSetIterator {

    private static final long serialVersionUID = 1L;

    private final INDArray features;
    private final INDArray labels;
    private final int batch;
    private long cursor;
    private transient DataSetPreProcessor pre;

    /**
     * @param features rows [n, D]
     * @param labels one-hot [n, C], or null
     * @param batch rows per DataSet
     */
    public ArrayDataSetIterator(INDArray features, INDArray labels, int batch) {
        if (labels != null && labels.size(0) != features.size(0)) {
            throw new IllegalArgumentException("features and labels differ in rows");
        }
        this.features = features;
        this.labels = labels;
        this.batch = batch;
    }

    /**
     * @param data one of our data sets
     * @param indices which images, in this order
     * @param withLabels whether to attach one-hot labels
     * @param batch rows per DataSet
     * @return the iterator (float32 features in [0, 1], flattened channel-major)
     */
    public static ArrayDataSetIterator of(Dataset data, int[] indices, boolean withLabels, int batch) {
        float[] x = new float[indices.length * data.dim()];
        for (int i = 0; i < indices.length; i++) {
            data.copyImage(indices[i], x, i * data.dim());
        }
        INDArray f = Nd4j.create(x, new long[] {indices.length, data.dim()}, 'c');
        INDArray y = null;
        if (withLabels) {
            y = Nd4j.zeros(DataType.FLOAT, indices.length, data.numClasses());
            for (int i = 0; i < indices.length; i++) {
                y.putScalar(i, data.label(indices[i]), 1.0);
            }
        }
        return new ArrayDataSetIterator(f, y, batch);
    }

    /**
     * @param data one of our data sets
     * @return all its images, in order
     */
    public static int[] all(Dataset data) {
        int[] idx = new int[data.count()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        return idx;
    }

    /** @return all features [n, D] */
    public INDArray features() {
        return features;
    }

    /** @return all labels [n, C], or null */
    public INDArray labels() {
        return labels;
    }

    @Override
    public DataSet next(int num) {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        long end = Math.min(features.size(0), cursor + num);
        INDArray f = features.get(NDArrayIndex.interval(cursor, end), NDArrayIndex.all());
        INDArray y = labels == null ? null : labels.get(NDArrayIndex.interval(cursor, end), NDArrayIndex.all());
        cursor = end;
        DataSet ds = new DataSet(f, y);
        if (pre != null) {
            pre.preProcess(ds);
        }
        return ds;
    }

    @Override
    public DataSet next() {
        return next(batch);
    }

    @Override
    public boolean hasNext() {
        return cursor < features.size(0);
    }

    @Override
    public int inputColumns() {
        return (int) features.size(1);
    }

    @Override
    public int totalOutcomes() {
        return labels == null ? 0 : (int) labels.size(1);
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return false;
    }

    @Override
    public void reset() {
        cursor = 0;
    }

    @Override
    public int batch() {
        return batch;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.pre = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return pre;
    }

    @Override
    public List<String> getLabels() {
        return null;
    }
}
