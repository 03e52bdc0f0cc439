package org.metaunsup.eval.readout;

import org.metaunsup.eval.EvalData;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The prototypical-network readout: each class is the mean of its support features (its
 * prototype), and a query row gets the class of the nearest prototype in squared Euclidean
 * distance. Nothing is fitted beyond the means, so it measures how well the features cluster by
 * class as they are (no standardisation: rescaling features would change the metric it tests).
 * Computed in float64; a tie goes to the lower class index.
 */
public final class PrototypeReadout {

    private PrototypeReadout() {}

    /**
     * @param support support features [nS, F]
     * @param supportY support labels 0..C−1 (every class present)
     * @param query query features [nQ, F]
     * @param queryY query labels
     * @param classes C
     * @return query accuracy
     * @throws IllegalArgumentException when shapes and labels disagree or a class has no support row
     */
    public static double accuracy(INDArray support, int[] supportY, INDArray query, int[] queryY, int classes) {
        if (support.size(0) != supportY.length || query.size(0) != queryY.length || support.size(1) != query.size(1)) {
            throw new IllegalArgumentException("prototype readout: feature and label counts disagree");
        }
        double[][] s = support.castTo(DataType.DOUBLE).toDoubleMatrix();
        double[][] q = query.castTo(DataType.DOUBLE).toDoubleMatrix();
        int f = (int) support.size(1);
        double[][] proto = new double[classes][f];
        int[] n = new int[classes];
        for (int i = 0; i < s.length; i++) {
            n[supportY[i]]++;
            for (int k = 0; k < f; k++) {
                proto[supportY[i]][k] += s[i][k];
            }
        }
        for (int c = 0; c < classes; c++) {
            if (n[c] == 0) {
                throw new IllegalArgumentException("prototype readout: class " + c + " has no support row");
            }
            for (int k = 0; k < f; k++) {
                proto[c][k] /= n[c];
            }
        }
        int right = 0;
        for (int i = 0; i < q.length; i++) {
            int best = 0;
            double bestD = Double.POSITIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                double d = 0;
                for (int k = 0; k < f; k++) {
                    double e = q[i][k] - proto[c][k];
                    d += e * e;
                }
                if (d < bestD) {
                    bestD = d;
                    best = c;
                }
            }
            if (best == queryY[i]) {
                right++;
            }
        }
        return right / (double) q.length;
    }

    /**
     * The readout on every support draw of an evaluation batch, as {@link org.metaunsup.eval.Readouts#score} does for
     * ridge and logistic.
     *
     * @param features features of the evaluation batch [query + draws·support, F]
     * @param labelled the labelled sets the batch was built from
     * @return mean query accuracy over the draws
     */
    public static double meanAccuracy(INDArray features, EvalData.Labelled labelled) {
        int nq = labelled.query().length;
        int ns = labelled.supportY().length;
        INDArray q = features.get(NDArrayIndex.interval(0, nq), NDArrayIndex.all());
        int draws = labelled.supports().size();
        double sum = 0;
        for (int d = 0; d < draws; d++) {
            INDArray s = features.get(NDArrayIndex.interval(nq + d * ns, nq + (d + 1) * ns), NDArrayIndex.all());
            sum += accuracy(s, labelled.supportY(), q, labelled.queryY(), labelled.data().classes());
        }
        return sum / draws;
    }
}
