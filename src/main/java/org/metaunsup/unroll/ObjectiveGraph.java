package org.metaunsup.unroll;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.metaunsup.basemodel.BaseModelGraph;
import org.metaunsup.basemodel.PhiState;
import org.metaunsup.basemodel.PhiVars;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.ObjectiveConfig;
import org.metaunsup.metaobjective.RidgeObjective;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The meta-objective evaluated at given base params, without any inner step: how useful the
 * features x^L of φ are to a few-shot ridge readout. Used for evaluation, learning curves and the
 * forward estimators of meta-training. Not thread-safe: one instance per thread.
 */
public final class ObjectiveGraph {

    /**
     * One evaluation.
     *
     * @param loss ridge meta-loss
     * @param supportAccuracy accuracy of the ridge readout on the support rows
     * @param queryAccuracy accuracy on the query rows (the few-shot accuracy)
     */
    public record Result(double loss, double supportAccuracy, double queryAccuracy) {}

    private final SameDiff sd = SameDiff.create();
    private final BaseModelConfig base;
    private final ObjectiveConfig objective;
    private final DataType dtype;
    private int[] lastPerm;
    private INDArray lastPermMatrix;

    /**
     * @param base base model shape
     * @param objective objective sizes and λ
     * @param dtype floating type
     */
    public ObjectiveGraph(BaseModelConfig base, ObjectiveConfig objective, DataType dtype) {
        this.base = base;
        this.objective = objective;
        this.dtype = dtype;
        List<SDVariable> w = new ArrayList<>();
        List<SDVariable> v = new ArrayList<>();
        List<SDVariable> b = new ArrayList<>();
        for (int l = 1; l <= base.depth(); l++) {
            w.add(sd.placeHolder(GraphNames.phiW(l), dtype, base.width(l - 1), base.width(l)));
            v.add(w.get(l - 1));
            b.add(sd.placeHolder(GraphNames.phiB(l), dtype, base.width(l)));
        }
        SDVariable perm = sd.placeHolder(GraphNames.PERM, dtype, base.inputWidth(), base.inputWidth());
        SDVariable x = sd.mmul(sd.placeHolder(GraphNames.LABELLED_X, dtype,
                objective.supportSize() + objective.querySize(), base.inputWidth()), perm);
        SDVariable features = BaseModelGraph.forward(sd, new PhiVars(w, v, b), x, base.activation()).top();
        RidgeObjective.Targets t = RidgeObjective.targets(sd, "targets",
                sd.placeHolder(GraphNames.SUPPORT_Y, dtype, objective.supportSize(), objective.classes()),
                sd.placeHolder(GraphNames.QUERY_Y, dtype, objective.querySize(), objective.classes()));
        RidgeObjective.Result r = RidgeObjective.build(sd, "meta", features, base.topWidth(),
                objective.supportSize(), objective.querySize(), t, objective.lambda());
        sd.identity("loss", r.loss());
        sd.identity("support_accuracy", r.supportAccuracy());
        sd.identity("query_accuracy", r.queryAccuracy());
    }

    /**
     * @param phi base params
     * @param perm input permutation
     * @param supportX support inputs, unpermuted
     * @param supportY support labels 0..C−1
     * @param queryX query inputs, unpermuted
     * @param queryY query labels
     * @return loss and accuracies
     */
    public Result evaluate(PhiState phi, int[] perm, INDArray supportX, int[] supportY, INDArray queryX,
                           int[] queryY) {
        Map<String, INDArray> ph = new HashMap<>();
        for (int l = 1; l <= base.depth(); l++) {
            ph.put(GraphNames.phiW(l), phi.w().get(l - 1).castTo(dtype));
            ph.put(GraphNames.phiB(l), phi.b().get(l - 1).castTo(dtype));
        }
        ph.put(GraphNames.PERM, permMatrix(perm));
        ph.put(GraphNames.LABELLED_X, Nd4j.concat(0, supportX, queryX).castTo(dtype));
        ph.put(GraphNames.SUPPORT_Y, TruncationInputs.oneHot(supportY, objective.classes(), dtype));
        ph.put(GraphNames.QUERY_Y, TruncationInputs.oneHot(queryY, objective.classes(), dtype));
        Map<String, INDArray> out = sd.output(ph, "loss", "support_accuracy", "query_accuracy");
        return new Result(out.get("loss").getDouble(0), out.get("support_accuracy").getDouble(0),
                out.get("query_accuracy").getDouble(0));
    }

    /** A task keeps its permutation for all its evaluations: build its matrix once. */
    private INDArray permMatrix(int[] perm) {
        if (!Arrays.equals(perm, lastPerm)) {
            lastPermMatrix = Permutation.matrix(perm, dtype);
            lastPerm = perm.clone();
        }
        return lastPermMatrix;
    }
}
