package org.metaunsup.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.rule.Theta;
import org.metaunsup.rule.ThetaSpec;
import org.metaunsup.train.TaskDraws;
import org.metaunsup.train.Truncation;
import org.metaunsup.train.Worker;
import org.metaunsup.train.WorkerContext;
import org.metaunsup.train.WorkerState;
import org.metaunsup.unroll.GraphStore;
import org.metaunsup.unroll.RuntimePolicy;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Meta-gradients per minute over a config's whole task distribution, as {@code metatrain} makes
 * them: every worker draws its tasks, architectures and truncation lengths from the run seed
 * ({@code train.TaskDraws}), runs them on its own graph cache ({@code train.Worker}), and pays for
 * every graph it builds or loads. θ stays fixed (no learner), so the figure is the workers' rate
 * without held-out evaluations and checkpoints. Each worker count starts from empty graph caches
 * (the per-machine store of gradient functions, when installed, is what a new run finds).
 */
public final class GridBench {

    private GridBench() {}

    /**
     * @param cfg config (its task distribution is the workload)
     * @param truncations truncations each worker makes
     * @param maxWorkers measure with 1 … maxWorkers worker threads
     * @param dtype graph type
     * @param progress receives one line per phase
     * @return results by key, in report order
     */
    public static Map<String, Object> run(ExperimentConfig cfg, int truncations, int maxWorkers, DataType dtype,
                                          Consumer<String> progress) throws InterruptedException {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("config", cfg.name());
        r.put("hidden_layers", cfg.task().hiddenLayers().toString());
        r.put("hidden_widths", Arrays.toString(TaskDraws.widthGrid(cfg.task().hiddenWidth())));
        r.put("truncation_lengths", Arrays.toString(TaskDraws.truncationGrid(cfg.task().truncation())));
        r.put("free_hidden_widths", WorkerContext.freeHiddenWidths());
        GraphStore store = GraphStore.installed();
        r.put("graph_store", store == null ? "none" : store.folder().toString());
        r.put("truncations_per_worker", truncations);
        r.put("dtype", dtype.name().toLowerCase(Locale.ROOT));
        Theta theta = Theta.init(new ThetaSpec(cfg.rule(), cfg.base().topWidth()), 1, dtype);
        for (int w = 1; w <= maxWorkers; w++) {
            progress.accept(w + " worker" + (w == 1 ? "" : "s") + ", " + truncations + " truncations each");
            String suffix = "_" + w + "_worker" + (w == 1 ? "" : "s");
            for (Map.Entry<String, Object> e : measure(cfg, truncations, w, dtype, theta, progress).entrySet()) {
                r.put(e.getKey() + suffix, e.getValue());
            }
            // The next count starts from empty caches: drop this one's graphs before it builds.
            System.gc();
        }
        r.put("peak_rss_mb", Bench.peakRssMb());
        return r;
    }

    private static Map<String, Object> measure(ExperimentConfig cfg, int truncations, int workers, DataType dtype,
                                               Theta theta, Consumer<String> progress) throws InterruptedException {
        List<WorkerContext> contexts = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            contexts.add(new WorkerContext(cfg, 1, dtype, workers));
        }
        List<List<Truncation>> done = new ArrayList<>();
        List<List<Boolean>> built = new ArrayList<>();
        List<Simultaneous.Job> jobs = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            WorkerContext ctx = contexts.get(w);
            List<Truncation> mine = new ArrayList<>();
            List<Boolean> myBuilds = new ArrayList<>();
            done.add(mine);
            built.add(myBuilds);
            int id = w;
            // Nothing is prepared: building the graphs a grid needs is part of what it costs.
            jobs.add(() -> () -> {
                WorkerState st = WorkerState.fresh(id);
                for (int i = 0; i < truncations; i++) {
                    int before = ctx.graphs().builds();
                    Truncation tr = Worker.run(ctx, st, theta, 0);
                    mine.add(tr);
                    myBuilds.add(ctx.graphs().builds() != before);
                    st = tr.after();
                    if (id == 0) {
                        progress.accept(String.format(Locale.ROOT, "worker 0: truncation %d/%d, k=%d, %.1f s%s",
                                i + 1, truncations, tr.k(), tr.seconds(),
                                myBuilds.get(i) ? " (new graph)" : ""));
                    }
                }
            });
        }
        double minutes = Simultaneous.seconds(jobs, "grid-bench-worker") / 60;
        int n = 0;
        int builds = 0;
        int loads = 0;
        double buildPassSeconds = 0;
        double otherSeconds = 0;
        int other = 0;
        long kSum = 0;
        int depthK = 0;
        int architectureK = 0;
        for (int w = 0; w < workers; w++) {
            builds += contexts.get(w).graphs().builds();
            loads += contexts.get(w).graphs().loads();
            Set<String> dk = new HashSet<>();
            Set<String> ak = new HashSet<>();
            for (int i = 0; i < done.get(w).size(); i++) {
                Truncation tr = done.get(w).get(i);
                n++;
                kSum += tr.k();
                if (tr.after().task() != null) {
                    int[] widths = tr.after().task().widths();
                    dk.add((widths.length - 1) + "/" + tr.k());
                    ak.add(Arrays.toString(widths) + "/" + tr.k());
                }
                if (built.get(w).get(i)) {
                    buildPassSeconds += tr.seconds();
                } else {
                    otherSeconds += tr.seconds();
                    other++;
                }
            }
            depthK += dk.size();
            architectureK += ak.size();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("meta_gradients_per_minute", n / minutes);
        m.put("wall_s", minutes * 60);
        m.put("graphs", builds);
        m.put("graphs_loaded", loads);
        // Distinct (depth, k) and (architecture, k) per worker, summed: the graphs a worker needs with
        // free hidden widths and with one graph per architecture.
        m.put("distinct_depth_k", depthK);
        m.put("distinct_architecture_k", architectureK);
        m.put("seconds_in_truncations_with_a_new_graph", buildPassSeconds);
        // What the same workers make once every graph they need exists (a long run's rate).
        m.put("meta_gradients_per_minute_without_new_graphs",
                other == 0 ? 0.0 : workers * other / (otherSeconds / 60.0));
        m.put("mean_k", (double) kSum / Math.max(1, n));
        m.put("peak_rss_mb_so_far", Bench.peakRssMb());
        for (WorkerContext c : contexts) {
            c.close();
        }
        RuntimePolicy.installed().beforePass();
        return m;
    }
}
