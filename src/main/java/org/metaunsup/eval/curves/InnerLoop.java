package org.metaunsup.eval.curves;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.metaunsup.DivergenceException;
import org.metaunsup.basemodel.PhiState;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.data.Batch;
import org.metaunsup.data.Task;
import org.metaunsup.rule.Theta;
import org.metaunsup.unroll.ObjectiveGraph;
import org.metaunsup.unroll.RuleStep;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Applies a frozen rule to a fresh base model for N inner steps on a task's unlabelled stream
 * and measures the few-shot ridge readout on the features every few steps: the learning curve
 * of docs/METHOD.md#evaluation. With θ = null the rule is never applied (random features).
 */
public final class InnerLoop {

    /**
     * One point of a learning curve.
     *
     * @param step inner steps applied so far
     * @param metaLoss ridge meta-loss
     * @param queryAccuracy few-shot accuracy of the ridge readout on the query rows
     */
    public record Point(int step, double metaLoss, double queryAccuracy) {}

    private final ExperimentConfig cfg;
    private final BaseModelConfig base;
    private final DataType dtype;
    private final RuleStep step;
    private final ObjectiveGraph objective;

    /**
     * @param cfg rule widths, inner batch, η, objective sizes
     * @param base base model shape
     * @param theta the rule, or null for "never applied"
     * @param dtype floating type
     */
    public InnerLoop(ExperimentConfig cfg, BaseModelConfig base, Theta theta, DataType dtype) {
        this.cfg = cfg;
        this.base = base;
        this.dtype = dtype;
        this.step = theta == null ? null : new RuleStep(cfg.graph(), base, theta, dtype);
        this.objective = new ObjectiveGraph(base, cfg.objective(), dtype);
    }

    /**
     * @param task labelled pair, unlabelled stream and permutation
     * @param phiSeed init seed of the base model
     * @param steps inner steps N
     * @param every evaluation period
     * @param progress called after every evaluation (may be null)
     * @return the curve, starting at step 0
     * @throws DivergenceException when the meta-loss or φ leaves the finite numbers
     */
    public List<Point> run(Task task, long phiSeed, int steps, int every, Consumer<Point> progress) {
        return run(task, phiSeed, steps, every, "the base model", progress);
    }

    /**
     * @param task labelled pair, unlabelled stream and permutation
     * @param phiSeed init seed of the base model
     * @param steps inner steps N
     * @param every evaluation period
     * @param what what a divergence names, e.g. "the base model of task 1 under rule R"
     * @param progress called after every evaluation (may be null)
     * @return the curve, starting at step 0
     * @throws DivergenceException when the meta-loss or φ leaves the finite numbers
     */
    public List<Point> run(Task task, long phiSeed, int steps, int every, String what, Consumer<Point> progress) {
        PhiState phi = PhiState.init(base, phiSeed, dtype);
        Batch s = task.support();
        Batch q = task.query();
        INDArray sx = s.features(dtype);
        INDArray qx = q.features(dtype);
        List<Point> curve = new ArrayList<>();
        int lastFinite = 0;
        for (int t = 0; t <= steps; t++) {
            if (t % every == 0 || t == steps) {
                ObjectiveGraph.Result r = step == null && !curve.isEmpty()
                        ? new ObjectiveGraph.Result(curve.get(0).metaLoss(), 0, curve.get(0).queryAccuracy())
                        : objective.evaluate(phi, task.permutation(), sx, s.y(), qx, q.y());
                if (!Double.isFinite(r.loss())) {
                    throw new DivergenceException(what, t, "meta-loss " + r.loss() + ", last finite at step "
                            + lastFinite, null);
                }
                lastFinite = t;
                Point p = new Point(t, r.loss(), r.queryAccuracy());
                curve.add(p);
                if (progress != null) {
                    progress.accept(p);
                }
            }
            if (t < steps && step != null) {
                phi = step.apply(phi, task.permutation(), task.unlabelled(t, cfg.innerBatch()).features(dtype));
                // Checked here, by type, rather than guessed later from the solve's complaint about
                // absurd features: the first step whose weights are not finite is the divergence.
                if (!phi.isFinite()) {
                    throw new DivergenceException(what, t + 1, "non-finite weights; meta-loss last finite at step "
                            + lastFinite, null);
                }
            }
        }
        return curve;
    }
}
