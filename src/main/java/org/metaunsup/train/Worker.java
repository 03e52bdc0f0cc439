package org.metaunsup.train;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.metaunsup.basemodel.PhiState;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.Estimator;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.config.OuterConfig;
import org.metaunsup.data.Task;
import org.metaunsup.rule.Theta;
import org.metaunsup.train.estimator.Antithetic;
import org.metaunsup.train.estimator.Particle;
import org.metaunsup.train.estimator.RuleUnroll;
import org.metaunsup.unroll.MetaGradient;
import org.metaunsup.unroll.RuntimePolicy;
import org.metaunsup.unroll.TruncationInputs;
import org.metaunsup.unroll.UnrollGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One truncation of one pool slot, as a pure function of (slot state, θ, run seed): draws a new
 * task when the slot has none or its task reached T (a slot's first task starts at a random
 * fraction of T with {@code task.stagger}); draws k; estimates the meta-gradient of the truncation's
 * mean step loss with the configured estimator ({@code outer.estimator}); returns it and the
 * slot's next state (φ, or PES's pairs, carried over; t advanced by k). A task's last truncation
 * may run past T by less than k: lengths stay in the configured range, so no extra graph sizes are
 * built.
 * <ul>
 *   <li>{@code backprop}: the k-step truncation graph of the task's architecture (from the
 *   context's cache) once forward and backward; ∂(Σ_t loss_t)/∂θ / k.</li>
 *   <li>{@code es}, {@code pes}: {@link Antithetic} over {@link RuleUnroll} (the one-step graph and
 *   the objective graph, forward only), {@code outer.pairs} antithetic pairs of perturbations of
 *   standard deviation {@code outer.sigma}, k from {@code outer.forward_truncation}.</li>
 * </ul>
 *
 * <p>The support/query pair is the task's own and stays the same over its truncations; each inner
 * step gets the task's unlabelled batch of that step index (a pure function of task seed and t).
 */
public final class Worker {

    private Worker() {}

    /**
     * @param ctx this thread's data and graphs
     * @param state the slot's state before
     * @param theta θ to use (in the context's floating type)
     * @param version θ's outer step
     * @return the gradient, losses and the next state
     */
    public static Truncation run(WorkerContext ctx, WorkerState state, Theta theta, long version) {
        long t0 = System.nanoTime();
        ExperimentConfig cfg = ctx.config();
        OuterConfig outer = cfg.outer();
        WorkerState.TaskState task = state.task();
        long tasks = state.tasksStarted();
        int slot = state.workerId();
        if (task == null || task.done()) {
            TaskDraws.TaskChoice c = ctx.draws().task(slot, tasks);
            BaseModelConfig base = new BaseModelConfig(c.widths(), cfg.base().activation());
            PhiState phi0 = PhiState.init(base, c.phiSeed(), ctx.dtype());
            List<Particle<PhiState>> particles = new ArrayList<>();
            if (outer.estimator() == Estimator.PES) {
                // ξ starts at zero with every task: PES's sum of perturbations spans one inner run.
                for (int p = 0; p < outer.pairs(); p++) {
                    particles.add(Particle.fresh(phi0, (int) theta.spec().size()));
                }
            }
            task = new WorkerState.TaskState(tasks, c.taskSeed(), c.widths(), c.totalSteps(),
                    ctx.draws().startStep(slot, tasks, c.totalSteps()), phi0, particles);
            tasks++;
        }
        boolean forward = outer.estimator().forward();
        int k = ctx.draws().truncationLength(slot, state.truncations(),
                forward ? outer.forwardTruncation() : cfg.task().truncation(), !forward);
        BaseModelConfig base = new BaseModelConfig(task.widths(), cfg.base().activation());
        Task data = ctx.task(task.seed());
        List<INDArray> batches = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            batches.add(data.unlabelled(task.step() + i, cfg.innerBatch()).features(ctx.dtype()));
        }
        Result r = outer.estimator().forward()
                ? forward(ctx, state, task, base, data, batches, theta, k)
                : backprop(ctx, task, base, data, batches, theta, k);
        WorkerState.TaskState next = r.finite()
                ? new WorkerState.TaskState(task.index(), task.seed(), task.widths(), task.totalSteps(),
                        task.step() + k, r.phi(), r.particles())
                : null;
        WorkerState nextState = new WorkerState(slot, tasks, state.truncations() + 1, next);
        return new Truncation(slot, version, k, r.innerSteps(), r.gradient(), r.stepLoss(), r.queryAccuracy(),
                (System.nanoTime() - t0) / 1e9, nextState);
    }

    /** One estimate and what the task carries on with. */
    private record Result(double[] gradient, double[] stepLoss, double[] queryAccuracy, long innerSteps,
                          PhiState phi, List<Particle<PhiState>> particles) {

        /**
         * A base model whose φ left the finite numbers cannot continue: its task ends here (the
         * gradient is dropped by the learner when it is not finite either).
         */
        boolean finite() {
            if (!phi.isFinite()) {
                return false;
            }
            for (Particle<PhiState> p : particles) {
                if (!p.plus().isFinite() || !p.minus().isFinite()) {
                    return false;
                }
            }
            return true;
        }
    }

    private static Result backprop(WorkerContext ctx, WorkerState.TaskState task, BaseModelConfig base, Task data,
                                   List<INDArray> batches, Theta theta, int k) {
        ExperimentConfig cfg = ctx.config();
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
        return new Result(g, mg.stepLoss().clone(), mg.queryAccuracy().clone(), k, detach(mg.phiAfter()), List.of());
    }

    private static Result forward(WorkerContext ctx, WorkerState state, WorkerState.TaskState task,
                                  BaseModelConfig base, Task data, List<INDArray> batches, Theta theta, int k) {
        OuterConfig outer = ctx.config().outer();
        WorkerContext.ForwardGraphs fg = ctx.forwardGraphs(base, theta);
        RuleUnroll unroll = new RuleUnroll(fg.step(), fg.objective(), data, batches, theta.spec(), ctx.dtype());
        int dim = (int) theta.spec().size();
        List<SplittableRandom> streams = new ArrayList<>();
        for (int p = 0; p < outer.pairs(); p++) {
            streams.add(ctx.draws().perturbation(state.workerId(), state.truncations(), p));
        }
        double[][] eps = Antithetic.perturbations(streams, dim, outer.sigma());
        double[] th = theta.toDoubles();
        Antithetic.Estimate<PhiState> e = outer.estimator() == Estimator.PES
                ? Antithetic.pes(unroll, task.particles(), th, outer.sigma(), eps, k)
                : Antithetic.es(unroll, task.phi(), th, outer.sigma(), eps, k);
        return new Result(e.gradient(), e.stepLoss(), e.stepAccuracy(), e.innerSteps(), e.carried(), e.particles());
    }

    /** Copies φ out of the pass's arrays, which belong to the graph's session. */
    private static PhiState detach(PhiState p) {
        return new PhiState(p.w().stream().map(INDArray::dup).toList(), p.v().stream().map(INDArray::dup).toList(),
                p.b().stream().map(INDArray::dup).toList());
    }
}
