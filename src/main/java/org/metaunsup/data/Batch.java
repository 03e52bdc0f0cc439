package org.metaunsup.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A minibatch of flattened images, row-major {@code [rows, dim]}, with optional labels.
 * Inputs are NOT permuted; apply the task's permutation with {@link #permuted(int[])}
 * or inside the graph ({@code x[:, perm]}).
 *
 * @param x pixel values, length rows*dim, row i at {@code x[i*dim .. (i+1)*dim)}
 * @param y labels (task-local class indices 0..N-1), or {@code null} for unlabelled batches
 * @param rows number of examples
 * @param dim features per example (D)
 */
public record Batch(float[] x, int[] y, int rows, int dim) {

    /** Checks the sizes agree. */
    public Batch {
        if (x.length != (long) rows * dim || (y != null && y.length != rows)) {
            throw new IllegalArgumentException("batch sizes disagree");
        }
    }

    /**
     * @param dtype element type of the result (FLOAT or DOUBLE)
     * @return the inputs as a new {@code [rows, dim]} array
     */
    public INDArray features(DataType dtype) {
        return Nd4j.createFromArray(x).reshape(rows, dim).castTo(dtype);
    }

    /**
     * @param numClasses number of classes of the task (N)
     * @param dtype element type of the result
     * @return one-hot labels {@code [rows, numClasses]}
     */
    public INDArray oneHot(int numClasses, DataType dtype) {
        requireLabels();
        float[] v = new float[rows * numClasses];
        for (int i = 0; i < rows; i++) {
            v[i * numClasses + y[i]] = 1f;
        }
        return Nd4j.createFromArray(v).reshape(rows, numClasses).castTo(dtype);
    }

    /**
     * @param dtype element type of the result (e.g. INT32, or FLOAT for placeholders)
     * @return labels as a new {@code [rows]} array
     */
    public INDArray labelsArray(DataType dtype) {
        requireLabels();
        return Nd4j.createFromArray(y).castTo(dtype);
    }

    /** @return the inputs as {@code double[rows][dim]} (for tests and traces) */
    public double[][] toDoubleRows() {
        double[][] r = new double[rows][dim];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < dim; j++) {
                r[i][j] = x[i * dim + j];
            }
        }
        return r;
    }

    /**
     * @param perm a permutation of 0..dim-1
     * @return a new batch whose row i, column j is this batch's row i, column perm[j]
     */
    public Batch permuted(int[] perm) {
        if (perm.length != dim) {
            throw new IllegalArgumentException("permutation length " + perm.length + " != " + dim);
        }
        float[] out = new float[x.length];
        for (int i = 0; i < rows; i++) {
            int b = i * dim;
            for (int j = 0; j < dim; j++) {
                out[b + j] = x[b + perm[j]];
            }
        }
        return new Batch(out, y, rows, dim);
    }

    private void requireLabels() {
        if (y == null) {
            throw new IllegalStateException("unlabelled batch");
        }
    }
}
