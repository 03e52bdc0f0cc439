package org.metaunsup.bench;

import static org.metaunsup.util.Vectors.cosine;
import static org.metaunsup.util.Vectors.dot;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.metaunsup.basemodel.PhiState;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.data.Task;
import org.metaunsup.rule.Theta;
import org.metaunsup.rule.ThetaSpec;
import org.metaunsup.train.TaskDraws;
import org.metaunsup.train.WorkerContext;
import org.metaunsup.train.estimator.Antithetic;
import org.metaunsup.train.estimator.Particle;
import org.metaunsup.train.estimator.RuleUnroll;
import org.metaunsup.unroll.MetaGradient;
import org.metaunsup.unroll.RuntimePolicy;
import org.metaunsup.unroll.TruncationInputs;
import org.metaunsup.unroll.UnrollGraph;
import org.metaunsup.util.Seeds;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How good one meta-gradient estimate is per CPU-second, for backprop, ES and PES on one fixed task
 * (the config's base model, the first task a seed-0 run draws, θ₀ of seed 0, φ₀ of that task).
 *
 * <p>Target: g* = ∇θ (1/H) Σ_{t=1..H} L_t, the gradient of the mean meta-loss of a whole inner run of
 * H steps from φ₀. A sampled reference of g* in all |θ| dimensions would need many more pairs than
 * |θ| (thousands of H-step runs); instead the reference is exact in a random subspace: the
 * directional derivatives D_m = u_m·g* along M random unit directions u_m, by central differences
 * of the H-step loss (float64, step {@value #REFERENCE_STEP}; no truncation, no sampling noise), and
 * every estimate ĝ is compared through its projections u_m·ĝ: "cosine" below is
 * cos((u_m·ĝ)_m, (D_m)_m), the same measure for every estimator. Each estimator then walks the same H steps in its own truncations as meta-training
 * does (backprop: k steps, φ carried; ES and PES: k_f steps, P pairs, σ), and every truncation's
 * output is one estimate, what the learner receives. Reported per estimator: the mean and standard
 * deviation of cos(ĝ, g*) over all estimates of all seeds, the relative variance of an estimate
 * over seeds at the same truncation (E‖ĝ − ḡ‖² / ‖ḡ‖², averaged over truncations; 0 for backprop,
 * which is deterministic on fixed data), CPU seconds per estimate (this thread's CPU time, which
 * holds the native ops since every op runs on the calling thread: robust to a loaded machine),
 * the cosine per CPU-second, and the cosine of the mean of every estimate made. Maths only; the
 * command prints.
 */
public final class EstimatorQuality {

    /**
     * @param horizon H
     * @param backpropK k of the backprop truncations (divides H)
     * @param forwardK k of the ES and PES truncations (divides H)
     * @param pairs P of ES and PES
     * @param sigma σ
     * @param seeds perturbation seeds per forward estimator
     * @param directions M random directions of the reference
     * @param dtype graphs' type (float64 recommended: the reference takes differences of losses)
     */
    public record Settings(int horizon, int backpropK, int forwardK, int pairs, double sigma, int seeds,
                           int directions, DataType dtype) {}

    /** Step of the reference's central differences along unit directions of θ. */
    static final double REFERENCE_STEP = 1e-4;

    private EstimatorQuality() {}

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private static double cpu() {
        return CPU.getCurrentThreadCpuTime() / 1e9;
    }

    /**
     * @param cfg config (its base model and objective)
     * @param s settings
     * @param log progress lines
     * @return results by key
     */
    public static Map<String, Object> run(ExperimentConfig cfg, Settings s, Consumer<String> log) {
        if (s.horizon() % s.backpropK() != 0 || s.horizon() % s.forwardK() != 0 || s.directions() < 2) {
            throw new IllegalArgumentException("horizon must be a multiple of both k, at least 2 directions");
        }
        Map<String, Object> r = new LinkedHashMap<>();
        DataType dt = s.dtype();
        ThetaSpec spec = new ThetaSpec(cfg.rule(), cfg.base().topWidth());
        Theta theta = Theta.init(spec, Seeds.derive(0, "theta-init"), dt);
        double[] th = theta.toDoubles();
        BaseModelConfig base = cfg.base();
        r.put("config", cfg.name());
        r.put("base", base.describe());
        r.put("theta_size", spec.size());
        r.put("horizon", s.horizon());
        try (WorkerContext ctx = new WorkerContext(cfg, 0, dt, 1)) {
            TaskDraws.TaskChoice c = ctx.draws().task(0, 0);
            Task task = ctx.task(c.taskSeed());
            PhiState phi0 = PhiState.init(base, c.phiSeed(), dt);
            List<INDArray> batches = new ArrayList<>();
            for (int t = 0; t < s.horizon(); t++) {
                batches.add(task.unlabelled(t, cfg.innerBatch()).features(dt));
            }
            WorkerContext.ForwardGraphs fg = ctx.forwardGraphs(base, theta);

            log.accept("reference: central differences of the " + s.horizon() + "-step loss along "
                    + s.directions() + " random directions");
            RuleUnroll whole = new RuleUnroll(fg.step(), fg.objective(), task, batches, spec, dt);
            double c0 = cpu();
            double[][] dirs = new double[s.directions()][];
            double[] ref = new double[s.directions()];
            for (int m = 0; m < dirs.length; m++) {
                dirs[m] = Antithetic.perturbation(Seeds.stream(98, "quality/direction/" + m), th.length, 1.0);
                double norm = Math.sqrt(dot(dirs[m], dirs[m]));
                double[] plus = th.clone();
                double[] minus = th.clone();
                for (int i = 0; i < th.length; i++) {
                    dirs[m][i] /= norm;
                    plus[i] += REFERENCE_STEP * dirs[m][i];
                    minus[i] -= REFERENCE_STEP * dirs[m][i];
                }
                ref[m] = (whole.run(phi0, plus, s.horizon()).meanLoss() - whole.run(phi0, minus, s.horizon()).meanLoss())
                        / (2 * REFERENCE_STEP);
            }
            r.put("reference_directions", s.directions());
            r.put("reference_directional_derivatives", Arrays.toString(ref));
            r.put("reference_cpu_seconds", cpu() - c0);

            log.accept("backprop, k = " + s.backpropK());
            List<double[]> bp = new ArrayList<>();
            c0 = cpu();
            PhiState phi = phi0;
            UnrollGraph graph = UnrollGraph.build(cfg.graph(), base, s.backpropK(), theta, true, dt);
            MetaGradient.compute(graph, inputs(cfg, task, phi0, batches.subList(0, s.backpropK()), dt));
            double build = cpu() - c0;
            c0 = cpu();
            for (int j = 0; j < s.horizon() / s.backpropK(); j++) {
                RuntimePolicy.installed().beforePass();
                MetaGradient mg = MetaGradient.compute(graph, inputs(cfg, task, phi,
                        batches.subList(j * s.backpropK(), (j + 1) * s.backpropK()), dt));
                double[] g = mg.gradient().toDoubles();
                for (int i = 0; i < g.length; i++) {
                    g[i] /= s.backpropK();
                }
                bp.add(g);
                phi = mg.phiAfter();
                phi = new PhiState(phi.w().stream().map(INDArray::dup).toList(),
                        phi.v().stream().map(INDArray::dup).toList(), phi.b().stream().map(INDArray::dup).toList());
            }
            report(r, "backprop_k" + s.backpropK(), List.of(bp), dirs, ref, cpu() - c0);
            r.put("backprop_k" + s.backpropK() + "_graph_build_cpu_seconds", build);

            for (String est : List.of("es", "pes")) {
                log.accept(est + ", k = " + s.forwardK() + ", " + s.pairs() + " pair(s), " + s.seeds() + " seed(s)");
                List<List<double[]>> runs = new ArrayList<>();
                c0 = cpu();
                for (int seed = 0; seed < s.seeds(); seed++) {
                    List<double[]> walk = new ArrayList<>();
                    List<Particle<PhiState>> particles = new ArrayList<>();
                    for (int p = 0; p < s.pairs(); p++) {
                        particles.add(Particle.fresh(phi0, th.length));
                    }
                    PhiState state = phi0;
                    for (int j = 0; j < s.horizon() / s.forwardK(); j++) {
                        RuleUnroll u = new RuleUnroll(fg.step(), fg.objective(), task,
                                batches.subList(j * s.forwardK(), (j + 1) * s.forwardK()), spec, dt);
                        double[][] e = eps(seed, j + 1, 0, s.pairs(), th.length, s.sigma());
                        Antithetic.Estimate<PhiState> out = est.equals("pes")
                                ? Antithetic.pes(u, particles, th, s.sigma(), e, s.forwardK())
                                : Antithetic.es(u, state, th, s.sigma(), e, s.forwardK());
                        particles = out.particles();
                        state = out.carried();
                        walk.add(out.gradient());
                    }
                    runs.add(walk);
                }
                report(r, est + "_k" + s.forwardK() + "_p" + s.pairs(), runs, dirs, ref, cpu() - c0);
            }
        }
        return r;
    }

    private static TruncationInputs inputs(ExperimentConfig cfg, Task task, PhiState phi, List<INDArray> batches,
                                           DataType dt) {
        return new TruncationInputs(phi, task.permutation(), batches, task.support().features(dt), task.support().y(),
                task.query().features(dt), task.query().y(), cfg.objective().classes());
    }

    private static double[][] eps(int seed, int truncation, int firstPair, int pairs, int dim, double sigma) {
        List<SplittableRandom> s = new ArrayList<>();
        for (int p = firstPair; p < firstPair + pairs; p++) {
            s.add(Seeds.stream(seed, "quality/" + truncation + "/" + p));
        }
        return Antithetic.perturbations(s, dim, sigma);
    }

    /** The statistics of one estimator's estimates (runs × truncations) against the reference. */
    private static void report(Map<String, Object> r, String name, List<List<double[]>> runs, double[][] dirs,
                               double[] ref, double cpuSeconds) {
        int n = runs.get(0).get(0).length;
        int estimates = 0;
        double sum = 0;
        double sum2 = 0;
        double[] all = new double[n];
        for (List<double[]> walk : runs) {
            for (double[] g : walk) {
                double c = cosine(project(dirs, g), ref);
                sum += c;
                sum2 += c * c;
                estimates++;
                for (int i = 0; i < n; i++) {
                    all[i] += g[i];
                }
            }
        }
        double mean = sum / estimates;
        int truncs = runs.get(0).size();
        double relVar = 0;
        for (int j = 0; j < truncs; j++) {
            double[] m = new double[n];
            for (List<double[]> walk : runs) {
                for (int i = 0; i < n; i++) {
                    m[i] += walk.get(j)[i] / runs.size();
                }
            }
            double dev = 0;
            double norm = 0;
            for (List<double[]> walk : runs) {
                for (int i = 0; i < n; i++) {
                    double d = walk.get(j)[i] - m[i];
                    dev += d * d / runs.size();
                }
            }
            for (int i = 0; i < n; i++) {
                norm += m[i] * m[i];
            }
            relVar += (runs.size() > 1 ? dev * runs.size() / (runs.size() - 1) : 0) / norm / truncs;
        }
        double perEstimate = cpuSeconds / estimates;
        r.put(name + "_estimates", estimates);
        r.put(name + "_cosine_mean", mean);
        r.put(name + "_cosine_sd", estimates > 1 ? Math.sqrt(Math.max(0, (sum2 - estimates * mean * mean) / (estimates - 1))) : 0.0);
        r.put(name + "_relative_variance", relVar);
        r.put(name + "_cpu_seconds_per_estimate", perEstimate);
        r.put(name + "_cosine_per_cpu_second", mean / perEstimate);
        r.put(name + "_cosine_of_mean_of_all", cosine(project(dirs, all), ref));
    }

    private static double[] project(double[][] dirs, double[] g) {
        double[] p = new double[dirs.length];
        for (int m = 0; m < dirs.length; m++) {
            p[m] = dot(dirs[m], g);
        }
        return p;
    }
}
