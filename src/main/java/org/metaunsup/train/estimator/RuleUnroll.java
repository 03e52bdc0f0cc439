package org.metaunsup.train.estimator;

import java.util.List;
import org.metaunsup.basemodel.PhiState;
import org.metaunsup.data.Task;
import org.metaunsup.rule.Theta;
import org.metaunsup.rule.ThetaSpec;
import org.metaunsup.unroll.ObjectiveGraph;
import org.metaunsup.unroll.RuleStep;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The learned rule's inner loop as an {@link Unroll} of one truncation of one task, forward only:
 * θ is copied into the one-step graph ({@link RuleStep#loadTheta}, no rebuild), then each inner
 * step applies the rule to the task's unlabelled batch of that step and scores the new φ with
 * the ridge meta-objective ({@link ObjectiveGraph}) on the task's support/query pair — the same
 * per-step losses the backprop estimator's truncation graph sums. No gradient function is built.
 * Not thread-safe (the graphs are not).
 */
public final class RuleUnroll implements Unroll<PhiState> {

    private final RuleStep step;
    private final ObjectiveGraph objective;
    private final int[] perm;
    private final List<INDArray> batches;
    private final ThetaSpec spec;
    private final DataType dtype;
    private final INDArray supportX;
    private final int[] supportY;
    private final INDArray queryX;
    private final int[] queryY;

    /**
     * @param step the one-step graph of the task's architecture
     * @param objective the objective graph of the task's architecture
     * @param task the task (permutation, support/query)
     * @param batches the unlabelled batch of each step of the truncation, in order
     * @param spec θ's layout
     * @param dtype the graphs' floating type
     */
    public RuleUnroll(RuleStep step, ObjectiveGraph objective, Task task, List<INDArray> batches, ThetaSpec spec,
                      DataType dtype) {
        this(step, objective, task.permutation(), batches, task.support().features(dtype), task.support().y(),
                task.query().features(dtype), task.query().y(), spec, dtype);
    }

    /**
     * @param step the one-step graph of the architecture
     * @param objective its objective graph
     * @param perm the input permutation
     * @param batches the unlabelled batch of each step, in order (unpermuted)
     * @param supportX support inputs (unpermuted)
     * @param supportY support labels
     * @param queryX query inputs (unpermuted)
     * @param queryY query labels
     * @param spec θ's layout
     * @param dtype the graphs' floating type
     */
    public RuleUnroll(RuleStep step, ObjectiveGraph objective, int[] perm, List<INDArray> batches, INDArray supportX,
                      int[] supportY, INDArray queryX, int[] queryY, ThetaSpec spec, DataType dtype) {
        this.step = step;
        this.objective = objective;
        this.perm = perm;
        this.batches = batches;
        this.spec = spec;
        this.dtype = dtype;
        this.supportX = supportX;
        this.supportY = supportY;
        this.queryX = queryX;
        this.queryY = queryY;
    }

    @Override
    public Segment<PhiState> run(PhiState from, double[] theta, int k) {
        if (k > batches.size()) {
            throw new IllegalArgumentException(k + " steps, " + batches.size() + " batches");
        }
        step.loadTheta(Theta.fromDoubles(spec, theta, dtype));
        double[] loss = new double[k];
        double[] acc = new double[k];
        PhiState phi = from;
        for (int t = 0; t < k; t++) {
            phi = detach(step.apply(phi, perm, batches.get(t)));
            ObjectiveGraph.Result r = objective.evaluate(phi, perm, supportX, supportY, queryX, queryY);
            loss[t] = r.loss();
            acc[t] = r.queryAccuracy();
        }
        return new Segment<>(phi, loss, acc);
    }

    /** Copies φ out of the pass's arrays, which belong to the graph's session. */
    static PhiState detach(PhiState p) {
        return new PhiState(p.w().stream().map(INDArray::dup).toList(), p.v().stream().map(INDArray::dup).toList(),
                p.b().stream().map(INDArray::dup).toList());
    }
}
