package org.metaunsup.eval;

import java.util.Arrays;
import org.metaunsup.eval.readout.LogisticReadout;
import org.metaunsup.eval.readout.RidgeReadout;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Scores features of an evaluation batch ({@link EvalData.Labelled#evalBatch}: the query rows, then
 * every support draw) with both readouts, averaging over the draws.
 */
public final class Readouts {

    /**
     * Numbers of one measurement.
     *
     * @param metaLoss mean ridge meta-objective over draws
     * @param ridgeAccuracy mean ridge query accuracy
     * @param logisticAccuracy mean logistic query accuracy
     */
    public record Scores(double metaLoss, double ridgeAccuracy, double logisticAccuracy) {}

    private final RidgeReadout ridge;
    private final LogisticReadout logistic;

    /**
     * @param lambda ridge penalty
     * @param seed logistic readout init seed
     */
    public Readouts(double lambda, long seed) {
        this.ridge = new RidgeReadout(lambda);
        this.logistic = new LogisticReadout(seed);
    }

    /**
     * @param features features of the evaluation batch [query + draws·support, F]
     * @param labelled the labelled sets the batch was built from
     * @return the averaged scores
     */
    public Scores score(INDArray features, EvalData.Labelled labelled) {
        int nq = labelled.query().length;
        int ns = labelled.supportY().length;
        int classes = labelled.data().classes();
        INDArray q = features.get(NDArrayIndex.interval(0, nq), NDArrayIndex.all());
        int draws = labelled.supports().size();
        double[] loss = new double[draws];
        double[] ra = new double[draws];
        double[] la = new double[draws];
        for (int d = 0; d < draws; d++) {
            INDArray s = features.get(NDArrayIndex.interval(nq + d * ns, nq + (d + 1) * ns), NDArrayIndex.all());
            RidgeReadout.Score r = ridge.fit(s, labelled.supportY(), q, labelled.queryY(), classes);
            loss[d] = r.loss();
            ra[d] = r.queryAccuracy();
            la[d] = logistic.fit(s, labelled.supportY(), q, labelled.queryY(), classes);
        }
        return new Scores(Arrays.stream(loss).average().orElseThrow(), Arrays.stream(ra).average().orElseThrow(),
                Arrays.stream(la).average().orElseThrow());
    }
}
