package org.metaunsup.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.metaunsup.basemodel.PhiState;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.rule.LayerWidths;
import org.metaunsup.rule.Theta;
import org.metaunsup.rule.ThetaSpec;
import org.metaunsup.train.estimator.RuleUnroll;
import org.metaunsup.unroll.ObjectiveGraph;
import org.metaunsup.unroll.GradientFunction;
import org.metaunsup.unroll.GraphStore;
import org.metaunsup.unroll.MetaGradient;
import org.metaunsup.unroll.Permutation;
import org.metaunsup.unroll.ReusingMemoryMgr;
import org.metaunsup.unroll.RuleStep;
import org.metaunsup.unroll.RuntimePolicy;
import org.metaunsup.unroll.TruncationInputs;
import org.metaunsup.unroll.UnrollGraph;
import org.metaunsup.util.Seeds;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Measures the cost of the graphs on this machine: build times, op counts, ms per inner step
 * (apply only) and per K-step meta-gradient (first call, which builds the gradient function,
 * and steady state), peak RSS, and achieved GFLOP/s next to a GEMM peak measured in the same
 * run. Timings are medians of repeated calls. Maths only; the command prints.
 */
public final class Bench {

    /**
     * Benchmark settings.
     *
     * @param steps K of the meta-gradient unroll
     * @param innerRepeats timed inner steps
     * @param gradRepeats timed steady-state meta-gradients
     * @param dtype graph floating type
     * @param workers up to how many worker threads to measure meta-gradient throughput with
     * @param graphVariants also measure the same unroll with free hidden widths, and its gradient
     *     function saved to and loaded from a {@link GraphStore} (against building it)
     */
    public record Settings(int steps, int innerRepeats, int gradRepeats, DataType dtype, int workers,
                           boolean graphVariants) {

        /** Settings without the graph variants. */
        public Settings(int steps, int innerRepeats, int gradRepeats, DataType dtype, int workers) {
            this(steps, innerRepeats, gradRepeats, dtype, workers, false);
        }

        /** Settings that measure one worker only. */
        public Settings(int steps, int innerRepeats, int gradRepeats, DataType dtype) {
            this(steps, innerRepeats, gradRepeats, dtype, 1);
        }
    }

    private Bench() {}

    /**
     * @param cfg config (its base model is the workload)
     * @param s settings
     * @param progress receives one line per phase (may be null)
     * @return results by key, in report order
     */
    public static Map<String, Object> run(ExperimentConfig cfg, Settings s, Consumer<String> progress)
            throws InterruptedException {
        Consumer<String> log = progress == null ? x -> { } : progress;
        Map<String, Object> r = new LinkedHashMap<>();
        BaseModelConfig base = cfg.base();
        r.put("config", cfg.name());
        r.put("base", base.describe());
        r.put("inner_batch", cfg.innerBatch());
        r.put("dtype", s.dtype().name().toLowerCase());
        r.put("K", s.steps());
        r.put("java_threads", 1);
        r.put("omp_threads", Nd4j.getEnvironment().maxThreads());
        r.put("runtime_policy", RuntimePolicy.installed().toString());

        log.accept("measuring GEMM peak");
        r.put("gemm_peak_gflops_1thread", gemmPeak(s.dtype(), 1));
        r.put("gemm_peak_gflops_all_cores", gemmPeak(s.dtype(), Runtime.getRuntime().availableProcessors()));

        ThetaSpec spec = new ThetaSpec(cfg.rule(), base.topWidth());
        Theta theta = Theta.init(spec, 1, s.dtype());
        r.put("theta_size", spec.size());
        TruncationInputs in = inputs(cfg, base, s.steps(), s.dtype());

        log.accept("inner step graph");
        long t0 = System.nanoTime();
        RuleStep step = new RuleStep(cfg.graph(), base, theta, s.dtype());
        r.put("inner_build_ms", ms(t0));
        r.put("inner_ops", step.graph().sameDiff().getOps().size());
        PhiState phi = in.phi();
        INDArray x = in.unlabelled().get(0);
        List<Double> inner = new ArrayList<>();
        long innerFaults0 = 0;
        for (int i = 0; i < s.innerRepeats() + 1; i++) {
            if (i == 1) {
                innerFaults0 = minorFaults();
            }
            long t = System.nanoTime();
            // Feed the new φ back, as a real inner loop does.
            phi = step.apply(phi, in.perm(), x);
            inner.add(ms(t));
        }
        r.put("inner_step_page_faults", (minorFaults() - innerFaults0) / Math.max(1, s.innerRepeats()));
        r.put("inner_step_ms_first", inner.get(0));
        double innerMs = median(inner.subList(1, inner.size()));
        r.put("inner_step_ms", innerMs);
        double innerFlops = FlopModel.innerStep(cfg, base);
        r.put("inner_step_gflop", innerFlops / 1e9);
        r.put("inner_step_gflops", innerFlops / 1e9 / (innerMs / 1e3));
        // One more step, outside the medians, with an op timer: what keeps the step from the GEMM peak.
        OpTimingListener innerTiming = new OpTimingListener();
        step.graph().sameDiff().setListeners(innerTiming);
        long ti = System.nanoTime();
        step.apply(phi, in.perm(), x);
        double innerWall = ms(ti);
        step.graph().sameDiff().setListeners();
        r.put("inner_profile_ms_inside_ops", innerTiming.opMs());
        r.put("inner_profile_ms_overhead", innerWall - innerTiming.opMs());
        r.put("inner_profile_top_ops", top(innerTiming));

        forward(cfg, base, theta, step, in, s, r, log);

        log.accept("K=" + s.steps() + " meta-gradient graph");
        t0 = System.nanoTime();
        UnrollGraph unroll = UnrollGraph.build(cfg.graph(), base, s.steps(), theta, true, s.dtype());
        r.put("unroll_build_ms", ms(t0));
        SameDiff sd = unroll.sameDiff();
        r.put("unroll_forward_ops", sd.getOps().size());
        Map<String, INDArray> uph = in.placeholders(unroll);
        log.accept("first meta-gradient (builds the gradient function)");
        t0 = System.nanoTime();
        GradientFunction.ensureBuilt(sd);
        r.put("gradient_function_build_ms", ms(t0));
        RuntimePolicy.installed().beforePass();
        MetaGradient.compute(unroll, in);
        double first = ms(t0);
        r.put("meta_gradient_ms_first", first);
        SameDiff grad = sd.getFunction("grad");
        r.put("gradient_ops", grad == null ? -1 : grad.getOps().size());
        List<Double> grads = new ArrayList<>();
        OpTimingListener timing = new OpTimingListener();
        for (int i = 0; i < s.gradRepeats(); i++) {
            log.accept("meta-gradient " + (i + 1) + "/" + s.gradRepeats());
            boolean profile = i == s.gradRepeats() - 1;
            if (profile) {
                sd.setListeners(timing);
            }
            long gc0 = gcMs();
            long faults0 = minorFaults();
            var pool0 = ReusingMemoryMgr.threadStats();
            long t = System.nanoTime();
            // Inside the timing: whatever the process's policy runs before a pass is part of
            // what a meta-gradient costs it.
            RuntimePolicy.installed().beforePass();
            MetaGradient.compute(unroll, in);
            grads.add(ms(t));
            if (profile) {
                sd.setListeners();
                r.put("profile_ms_gc", (double) (gcMs() - gc0));
                r.put("profile_page_faults", minorFaults() - faults0);
                var pool1 = ReusingMemoryMgr.threadStats();
                long hits = pool1.hits() - pool0.hits();
                long asked = hits + pool1.misses() - pool0.misses();
                r.put("profile_array_pool_hit_pct", asked == 0 ? 0.0 : 100.0 * hits / asked);
                r.put("profile_array_pool_mb", pool1.bytes() / 1048576.0);
                double wall = grads.get(grads.size() - 1);
                r.put("profile_ops_executed", timing.opCount());
                r.put("profile_ms_inside_ops", timing.opMs());
                r.put("profile_ms_overhead", wall - timing.opMs());
                r.put("profile_top_ops", top(timing));
            }
        }
        double gradMs = median(grads);
        r.put("meta_gradient_ms", gradMs);
        r.put("first_to_steady_ratio", first / gradMs);
        double gradFlops = FlopModel.metaGradient(cfg, base, s.steps());
        r.put("meta_gradient_gflop", gradFlops / 1e9);
        r.put("meta_gradient_gflops", gradFlops / 1e9 / (gradMs / 1e3));
        // The two-thread GEMM is unsteady on a shared 2-core machine: take the better of the two.
        double peak = Math.max((double) r.get("gemm_peak_gflops_all_cores"), (double) r.get("gemm_peak_gflops_1thread"));
        r.put("gemm_peak_gflops", peak);
        r.put("inner_step_pct_of_peak", 100 * (double) r.get("inner_step_gflops") / peak);
        r.put("meta_gradient_pct_of_peak", 100 * (double) r.get("meta_gradient_gflops") / peak);
        // One task per graph: a task's meta-gradient costs one graph pass.
        r.put("tasks_per_graph", 1);
        r.put("meta_gradient_ms_per_task", gradMs);
        r.put("peak_rss_mb_one_worker", peakRssMb());
        if (s.graphVariants()) {
            graphVariants(cfg, base, theta, in, s, unroll, r, log);
        }
        for (int w = 1; w <= s.workers(); w++) {
            log.accept(w + " worker thread" + (w == 1 ? "" : "s") + ", " + s.gradRepeats() + " meta-gradients each");
            r.put("meta_gradients_per_minute_" + w + "_worker" + (w == 1 ? "" : "s"),
                    throughput(cfg, base, theta, in, s, w, w == 1 ? unroll : null));
        }
        // What one perturbed inner step of es/pes costs against one inner step of a backprop estimate.
        r.put("forward_to_backprop_cost_per_inner_step",
                (double) r.get("forward_inner_step_ms") / (gradMs / s.steps()));
        for (int w = 1; w <= s.workers(); w++) {
            log.accept(w + " worker thread" + (w == 1 ? "" : "s") + ", forward estimators");
            double perSecond = forwardThroughput(cfg, base, theta, in, s, w);
            String suffix = "_" + w + "_worker" + (w == 1 ? "" : "s");
            r.put("forward_perturbed_inner_steps_per_second" + suffix, perSecond);
            r.put("forward_estimates_per_minute" + suffix, perSecond * 60 / (double) r.get("forward_estimate_steps"));
        }
        r.put("peak_rss_mb", peakRssMb());
        return r;
    }

    /**
     * The forward estimators' inner step (es, pes: {@link RuleUnroll}, the one-step graph plus the
     * objective graph, θ loaded per perturbation, no gradient function): its median cost per
     * perturbed inner step over {@code gradRepeats} truncations of K steps, the process's peak
     * RSS before any gradient graph exists (what a forward worker needs), and the bytes of PES
     * state one task carries (2·pairs φ plus pairs ξ).
     */
    private static void forward(ExperimentConfig cfg, BaseModelConfig base, Theta theta, RuleStep step,
                                TruncationInputs in, Settings s, Map<String, Object> r, Consumer<String> log) {
        log.accept("forward estimators: perturbed truncations of " + s.steps() + " steps");
        RuleUnroll fwd = forwardUnroll(cfg, base, step, in, theta, s.dtype());
        double[] th = theta.toDoubles();
        fwd.run(in.phi(), th, s.steps());
        List<Double> perStep = new ArrayList<>();
        for (int i = 0; i < s.gradRepeats(); i++) {
            long t = System.nanoTime();
            fwd.run(in.phi(), th, s.steps());
            perStep.add(ms(t) / s.steps());
        }
        r.put("forward_inner_step_ms", median(perStep));
        int pairs = cfg.outer().pairs();
        int k = (cfg.outer().forwardTruncation().lo() + cfg.outer().forwardTruncation().hi()) / 2;
        r.put("forward_pairs", pairs);
        r.put("forward_truncation", k);
        r.put("forward_estimate_steps", (double) (2L * pairs * k));
        long phiEntries = 0;
        for (int l = 1; l <= base.depth(); l++) {
            phiEntries += 2L * base.width(l - 1) * base.width(l) + base.width(l);
        }
        double phiMb = phiEntries * s.dtype().width() / 1048576.0;
        r.put("phi_mb", phiMb);
        r.put("pes_state_mb_per_task", pairs * (2 * phiMb + theta.spec().size() * 8 / 1048576.0));
        r.put("forward_peak_rss_mb_one_worker", peakRssMb());
    }

    private static RuleUnroll forwardUnroll(ExperimentConfig cfg, BaseModelConfig base, RuleStep step,
                                            TruncationInputs in, Theta theta, DataType dtype) {
        return new RuleUnroll(step, new ObjectiveGraph(base, cfg.objective(), dtype), in.perm(), in.unlabelled(),
                in.supportX(), in.supportY(), in.queryX(), in.queryY(), theta.spec(), dtype);
    }

    /**
     * Perturbed inner steps per second with {@code workers} threads, each with graphs of its own,
     * each running {@code gradRepeats} perturbed truncations of K steps at once (after one untimed
     * truncation on its own thread).
     */
    private static double forwardThroughput(ExperimentConfig cfg, BaseModelConfig base, Theta theta,
                                            TruncationInputs in, Settings s, int workers) throws InterruptedException {
        double[] th = theta.toDoubles();
        List<Simultaneous.Job> jobs = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            jobs.add(() -> {
                RuleUnroll fwd = forwardUnroll(cfg, base, new RuleStep(cfg.graph(), base, theta, s.dtype()), in,
                        theta, s.dtype());
                fwd.run(in.phi(), th, s.steps());
                return () -> {
                    for (int i = 0; i < s.gradRepeats(); i++) {
                        fwd.run(in.phi(), th, s.steps());
                    }
                };
            });
        }
        double seconds = Simultaneous.seconds(jobs, "bench-forward-worker");
        return workers * (double) s.gradRepeats() * s.steps() / seconds;
    }

    /**
     * Meta-gradients per minute (tasks per minute) with {@code workers} threads, each with a
     * graph of its own, as meta-training runs them: the wall time of every worker making
     * {@code gradRepeats} steady meta-gradients at once, after one untimed pass on each worker's
     * own thread.
     */
    private static double throughput(ExperimentConfig cfg, BaseModelConfig base, Theta theta, TruncationInputs in,
                                     Settings s, int workers, UnrollGraph warm) throws InterruptedException {
        List<UnrollGraph> graphs = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            UnrollGraph g = w == 0 && warm != null ? warm : UnrollGraph.build(cfg.graph(), base, s.steps(), theta, true, s.dtype());
            if (g != warm) {
                MetaGradient.compute(g, in);   // builds its gradient function, first pass
            }
            graphs.add(g);
        }
        // Every worker first makes one untimed pass on its own thread (Simultaneous says why).
        List<Simultaneous.Job> jobs = new ArrayList<>();
        for (UnrollGraph g : graphs) {
            jobs.add(() -> {
                MetaGradient.compute(g, in);
                return () -> {
                    for (int i = 0; i < s.gradRepeats(); i++) {
                        MetaGradient.compute(g, in);
                    }
                };
            });
        }
        double minutes = Simultaneous.seconds(jobs, "bench-worker") / 60;
        return workers * s.gradRepeats() / minutes;
    }

    /**
     * The same unroll as a graph with free hidden widths (built, its gradient function saved to a
     * temporary {@link GraphStore}) and a second copy whose gradient function is loaded from there:
     * build, save and load times, steady passes of all three alternated (medians), and whether they
     * give the fixed graph's meta-loss and meta-gradient bit for bit.
     */
    private static void graphVariants(ExperimentConfig cfg, BaseModelConfig base, Theta theta, TruncationInputs in,
                                      Settings s, UnrollGraph fixed, Map<String, Object> r, Consumer<String> log) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("metaunsup-bench-store");
            GraphStore store = GraphStore.at(dir, log);
            log.accept("free-width graph: build, save, load");
            long t0 = System.nanoTime();
            UnrollGraph free = UnrollGraph.build(cfg.graph(), LayerWidths.freeHidden(base), s.steps(), theta, true,
                    s.dtype());
            r.put("free_unroll_build_ms", ms(t0));
            r.put("free_unroll_forward_ops", free.sameDiff().getOps().size());
            t0 = System.nanoTime();
            GradientFunction.ensureBuilt(free.sameDiff());
            r.put("free_gradient_function_build_ms", ms(t0));
            t0 = System.nanoTime();
            store.put(free.sameDiff());
            r.put("gradient_function_save_ms", ms(t0));
            UnrollGraph loaded = UnrollGraph.build(cfg.graph(), LayerWidths.freeHidden(base), s.steps(), theta, true,
                    s.dtype());
            t0 = System.nanoTime();
            GraphStore.Outcome how = store.ensureGradient(loaded.sameDiff());
            r.put("gradient_function_load_ms", ms(t0));
            if (how != GraphStore.Outcome.LOADED) {
                throw new IllegalStateException("the saved gradient function was not loaded: " + how);
            }
            MetaGradient want = MetaGradient.compute(fixed, in);
            MetaGradient a = MetaGradient.compute(free, in);
            MetaGradient b = MetaGradient.compute(loaded, in);
            r.put("free_and_loaded_equal_fixed_bitwise", sameBits(want, a) && sameBits(want, b));
            List<Double> tf = new ArrayList<>();
            List<Double> ta = new ArrayList<>();
            List<Double> tb = new ArrayList<>();
            for (int i = 0; i < s.gradRepeats(); i++) {
                log.accept("fixed / free / loaded meta-gradient " + (i + 1) + "/" + s.gradRepeats());
                long t = System.nanoTime();
                MetaGradient.compute(fixed, in);
                tf.add(ms(t));
                t = System.nanoTime();
                MetaGradient.compute(free, in);
                ta.add(ms(t));
                t = System.nanoTime();
                MetaGradient.compute(loaded, in);
                tb.add(ms(t));
            }
            r.put("alternated_meta_gradient_ms_fixed", median(tf));
            r.put("alternated_meta_gradient_ms_free", median(ta));
            r.put("alternated_meta_gradient_ms_loaded", median(tb));
        } catch (IOException e) {
            throw new IllegalStateException("bench graph store: " + e.getMessage(), e);
        } finally {
            if (dir != null) {
                try (var files = Files.list(dir)) {
                    for (Path f : files.toList()) {
                        Files.deleteIfExists(f);
                    }
                    Files.deleteIfExists(dir);
                } catch (IOException e) {
                    log.accept("could not remove " + dir + ": " + e.getMessage());
                }
            }
        }
    }

    private static boolean sameBits(MetaGradient a, MetaGradient b) {
        return Double.doubleToLongBits(a.metaLoss()) == Double.doubleToLongBits(b.metaLoss())
                && Arrays.equals(a.gradient().toDoubles(), b.gradient().toDoubles());
    }

    /** The eight op types that took longest, with their counts and milliseconds. */
    private static String top(OpTimingListener timing) {
        StringBuilder top = new StringBuilder();
        timing.byType().stream().limit(Integer.getInteger("metaunsup.bench_top_ops", 8)).forEach(o -> top.append(String.format(Locale.ROOT,
                "%s x%d %.1fms; ", o.op(), o.count(), o.ms())));
        return top.toString().trim();
    }

    /** Median GFLOP/s of a 1024³ GEMM with the given BLAS thread count (restored after). */
    static double gemmPeak(DataType dtype, int threads) {
        int before = Nd4j.factory().blas().getMaxThreads();
        int ompBefore = Nd4j.getEnvironment().maxThreads();
        Nd4j.factory().blas().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxThreads(threads);
        try {
            int n = 1024;
            INDArray a = Nd4j.rand(dtype, n, n);
            INDArray b = Nd4j.rand(dtype, n, n);
            INDArray c = Nd4j.create(dtype, n, n);
            List<Double> rates = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                long t = System.nanoTime();
                Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
                double sec = (System.nanoTime() - t) / 1e9;
                if (i >= 2) {
                    rates.add(2.0 * n * n * n / sec / 1e9);
                }
            }
            return median(rates);
        } finally {
            Nd4j.factory().blas().setMaxThreads(before);
            Nd4j.getEnvironment().setMaxThreads(ompBefore);
        }
    }

    static TruncationInputs inputs(ExperimentConfig cfg, BaseModelConfig base, int steps, DataType dtype) {
        SplittableRandom rng = Seeds.stream(1, "bench-data");
        int d = base.inputWidth();
        List<INDArray> xs = new ArrayList<>();
        for (int t = 0; t < steps; t++) {
            xs.add(Nd4j.rand(dtype, cfg.innerBatch(), d));
        }
        int c = cfg.objective().classes();
        int[] sy = new int[cfg.objective().supportSize()];
        int[] qy = new int[cfg.objective().querySize()];
        for (int i = 0; i < sy.length; i++) {
            sy[i] = i % c;
        }
        for (int i = 0; i < qy.length; i++) {
            qy[i] = i % c;
        }
        return new TruncationInputs(PhiState.init(base, 2, dtype), Permutation.random(d, rng), xs,
                Nd4j.rand(dtype, sy.length, d), sy, Nd4j.rand(dtype, qy.length, d), qy, c);
    }

    /** Minor page faults of this process so far (Linux), or -1. */
    private static long minorFaults() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[7]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long gcMs() {
        long t = 0;
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            t += Math.max(0, gc.getCollectionTime());
        }
        return t;
    }

    private static double ms(long start) {
        return (System.nanoTime() - start) / 1e6;
    }

    static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a.length % 2 == 1 ? a[a.length / 2] : 0.5 * (a[a.length / 2 - 1] + a[a.length / 2]);
    }

    /** @return peak resident set size of this process in MB (Linux), or -1 */
    public static double peakRssMb() {
        return statusMb("VmHWM:");
    }

    /** @return resident set size of this process now in MB (Linux), or -1 */
    static double rssMb() {
        return statusMb("VmRSS:");
    }

    /** A kB field of /proc/self/status in MB, or -1. */
    private static double statusMb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
