package org.metaunsup.eval.readout;

import java.util.HashMap;
import java.util.Map;
import org.metaunsup.metaobjective.RidgeObjective;
import org.metaunsup.unroll.TruncationInputs;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The few-shot ridge readout on given features: exactly the meta-objective's fragment
 * ({@link RidgeObjective}, docs/METHOD.md#meta-objective) with the features as an input instead of
 * the base model's
 * output, so the number it reports for the rule is the meta-objective itself and the same number
 * is defined for every baseline. Evaluated in float64. One graph per shape, built on first use.
 */
public final class RidgeReadout {

    /**
     * One fit and score.
     *
     * @param loss the meta-objective (query error + ridge penalty)
     * @param supportAccuracy accuracy on the support rows it was fitted on
     * @param queryAccuracy accuracy on the query rows
     */
    public record Score(double loss, double supportAccuracy, double queryAccuracy) {}

    private final double lambda;
    private final Map<String, SameDiff> graphs = new HashMap<>();

    /** @param lambda ridge penalty λ */
    public RidgeReadout(double lambda) {
        this.lambda = lambda;
    }

    /**
     * Fits on the support rows and scores on the query rows.
     *
     * @param support support features [nS, F]
     * @param supportY support labels 0..C−1
     * @param query query features [nQ, F]
     * @param queryY query labels
     * @param classes C
     * @return loss and accuracies
     */
    public Score fit(INDArray support, int[] supportY, INDArray query, int[] queryY, int classes) {
        int f = (int) support.size(1);
        int ns = supportY.length;
        int nq = queryY.length;
        if (support.size(0) != ns || query.size(0) != nq || query.size(1) != f) {
            throw new IllegalArgumentException("ridge readout: feature and label counts disagree");
        }
        String key = f + "/" + ns + "/" + nq + "/" + classes;
        SameDiff sd = graphs.computeIfAbsent(key, k -> build(f, ns, nq, classes));
        Map<String, INDArray> ph = new HashMap<>();
        ph.put("features", Nd4j.concat(0, support.castTo(DataType.DOUBLE), query.castTo(DataType.DOUBLE)));
        ph.put("support_y", TruncationInputs.oneHot(supportY, classes, DataType.DOUBLE));
        ph.put("query_y", TruncationInputs.oneHot(queryY, classes, DataType.DOUBLE));
        Map<String, INDArray> out = sd.output(ph, "loss", "support_accuracy", "query_accuracy");
        return new Score(out.get("loss").getDouble(0), out.get("support_accuracy").getDouble(0),
                out.get("query_accuracy").getDouble(0));
    }

    private SameDiff build(int f, int ns, int nq, int classes) {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("features", DataType.DOUBLE, ns + nq, f);
        RidgeObjective.Targets t = RidgeObjective.targets(sd, "targets",
                sd.placeHolder("support_y", DataType.DOUBLE, ns, classes),
                sd.placeHolder("query_y", DataType.DOUBLE, nq, classes));
        RidgeObjective.Result r = RidgeObjective.build(sd, "ridge", x, f, ns, nq, t, lambda);
        sd.identity("loss", r.loss());
        sd.identity("support_accuracy", r.supportAccuracy());
        sd.identity("query_accuracy", r.queryAccuracy());
        return sd;
    }
}
