package org.metaunsup.train;

import java.util.ArrayList;
import java.util.List;
import org.metaunsup.basemodel.PhiState;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.data.Task;
import org.metaunsup.rule.Theta;
import org.metaunsup.unroll.MetaGradient;
import org.metaunsup.unroll.RuntimePolicy;
import org.metaunsup.unroll.TruncationInputs;
import org.metaunsup.unroll.UnrollGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One truncation of one worker, as a pure function of (worker state, θ, run seed): draws a new
 * task when the worker has none or its task reached T; draws k; runs the k-step truncation graph of
 * the task's architecture (from the context's cache) once forward and backward; returns the
 * gradient divided by k and the worker's next state (φ carried over, t advanced by k). A task's
 * last truncation may run past T by less than k: lengths stay in the configured range, so no
 * extra graph sizes are built.
 *
 * <p>The support/query pair is the task's own and stays the same over its truncations; each inner
 * step gets the task's unlabelled batch of that step index (a pure function of task seed and t).
 */
public final class Worker {

    private Worker() {}

    /**
     * @param ctx this thread's data and graphs
     * @param state the worker's state before
     * @param theta θ to use (in the context's floating type)
     * @param version θ's outer step
     * @return the gradient, losses and the next state
     */
    public static Truncation run(WorkerContext ctx, WorkerState state, Theta theta, long version) {
        long t0 = System.nanoTime();
        ExperimentConfig cfg = ctx.config();
        WorkerState.TaskState task = state.task();
        long tasks = state.tasksStarted();
        if (task == null || task.done()) {
            TaskDraws.TaskChoice c = ctx.draws().task(state.workerId(), tasks);
            BaseModelConfig base = new BaseModelConfig(c.widths(), cfg.base().activation());
            task = new WorkerState.TaskState(tasks, c.taskSeed(), c.widths(), c.totalSteps(), 0,
                    PhiState.init(base, c.phiSeed(), ctx.dtype()));
            tasks++;
        }
        int k = ctx.draws().truncationLength(state.workerId(), state.truncations());
        BaseModelConfig base = new BaseModelConfig(task.widths(), cfg.base().activation());
        Task data = ctx.task(task.seed());
        List<INDArray> batches = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            batches.add(data.unlabelled(task.step() + i, cfg.innerBatch()).features(ctx.dtype()));
        }
        TruncationInputs in = new TruncationInputs(task.phi(), data.permutation(), batches,
                data.support().features(ctx.dtype()), data.support().y(), data.query().features(ctx.dtype()),
                data.query().y(), cfg.objective().classes());
        int builds = ctx.graphs().builds();
        UnrollGraph graph = ctx.graphs().get(base, k, true, theta, ctx.dtype());
        if (ctx.graphs().builds() != builds) {
            FaultPoint.GRAPH_BUILD.reach();
        }
        RuntimePolicy.installed().beforePass();
        MetaGradient mg = MetaGradient.compute(graph, in);
        double[] g = mg.gradient().toDoubles();
        for (int i = 0; i < g.length; i++) {
            g[i] /= k;
        }
        PhiState after = detach(mg.phiAfter());
        // A base model whose φ left the finite numbers cannot continue: its task ends here (the
        // gradient is dropped by the learner when it is not finite either).
        WorkerState.TaskState next = after.isFinite()
                ? new WorkerState.TaskState(task.index(), task.seed(), task.widths(), task.totalSteps(),
                        task.step() + k, after)
                : null;
        WorkerState nextState = new WorkerState(state.workerId(), tasks, state.truncations() + 1, next);
        return new Truncation(state.workerId(), version, k, g, mg.stepLoss().clone(), mg.queryAccuracy().clone(),
                (System.nanoTime() - t0) / 1e9, nextState);
    }

    /** Copies φ out of the pass's arrays, which belong to the graph's session. */
    private static PhiState detach(PhiState p) {
        return new PhiState(p.w().stream().map(INDArray::dup).toList(), p.v().stream().map(INDArray::dup).toList(),
                p.b().stream().map(INDArray::dup).toList());
    }
}
