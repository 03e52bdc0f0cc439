package org.metaunsup.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.config.TaskDistributionConfig;
import org.metaunsup.rule.Theta;
import org.metaunsup.rule.ThetaSpec;
import org.metaunsup.train.TaskDraws;
import org.metaunsup.unroll.MetaGradient;
import org.metaunsup.unroll.UnrollGraph;
import org.metaunsup.unroll.UnrollGraphCache;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * What cached truncation graphs keep in memory: one thread walks the config's meta-training grid
 * (every hidden depth and grid width, at the shortest and the longest truncation), runs one
 * meta-gradient on each graph and keeps them all, as a worker's cache does, and reads the resident
 * memory after a collection each time. The slope against the cache's estimate
 * ({@link UnrollGraphCache#estimatedBytes}) is what the memory bound of meta-training rests on.
 */
public final class GraphCacheBench {

    private GraphCacheBench() {}

    /**
     * @param cfg config whose task distribution gives the grid
     * @param graphs at most this many graphs
     * @param dtype graph floating type
     * @param log one line per graph
     * @return results by key, in report order
     */
    public static Map<String, Object> run(ExperimentConfig cfg, int graphs, DataType dtype, Consumer<String> log)
            throws InterruptedException {
        TaskDistributionConfig dist = cfg.task();
        ThetaSpec spec = new ThetaSpec(cfg.rule(), cfg.base().topWidth());
        Theta theta = Theta.init(spec, 1, dtype);
        UnrollGraphCache cache = UnrollGraphCache.byCount(cfg.graph(), Integer.MAX_VALUE);
        List<int[]> grid = new ArrayList<>();
        for (int k : IntStream.of(dist.truncation().lo(), dist.truncation().hi()).distinct().toArray()) {
            for (int depth = dist.hiddenLayers().lo(); depth <= dist.hiddenLayers().hi(); depth++) {
                for (int w : TaskDraws.widthGrid(dist.hiddenWidth())) {
                    grid.add(new int[] {k, depth, w});
                }
            }
        }
        grid = grid.subList(0, Math.min(graphs, grid.size()));
        double rss0 = settledRssMb();
        List<Double> estimated = new ArrayList<>();
        List<Double> rss = new ArrayList<>();
        double estimatedMb = 0;
        for (int[] g : grid) {
            int[] widths = new int[g[1] + 2];
            widths[0] = cfg.base().inputWidth();
            Arrays.fill(widths, 1, g[1] + 1, g[2]);
            widths[g[1] + 1] = cfg.base().topWidth();
            BaseModelConfig base = new BaseModelConfig(widths, cfg.base().activation());
            long t0 = System.nanoTime();
            UnrollGraph graph = cache.get(base, g[0], true, theta, dtype);
            MetaGradient.compute(graph, Bench.inputs(cfg, base, g[0], dtype));
            estimatedMb += UnrollGraphCache.estimatedBytes(graph) / 1048576.0;
            double now = settledRssMb();
            estimated.add(estimatedMb);
            rss.add(now - rss0);
            log.accept(String.format(Locale.ROOT, "%s k=%d: %.1f s, %d forward ops, resident %+.0f MB "
                    + "(estimate of the cache %.0f MB)", base.describe(), g[0], (System.nanoTime() - t0) / 1e9,
                    graph.sameDiff().getOps().size(), now - rss0, estimatedMb));
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("graph_cache_graphs", grid.size());
        r.put("graph_cache_rss_mb_before", rss0);
        r.put("graph_cache_rss_mb_first_graph", rss.get(0));
        r.put("graph_cache_rss_mb_growth", rss.get(rss.size() - 1));
        r.put("graph_cache_estimated_mb", estimatedMb);
        // From the first graph on: the first pass of a process also pays one-time costs (JIT,
        // native libraries' own buffers) that are not the cache's.
        r.put("graph_cache_rss_per_estimated", slope(estimated, rss));
        r.put("peak_rss_mb", Bench.peakRssMb());
        return r;
    }

    /**
     * Least-squares slope of the measured growth against the estimate, both taken from the first
     * graph on; with one graph, the first graph's own ratio.
     */
    static double slope(List<Double> x, List<Double> y) {
        if (x.size() == 1) {
            return y.get(0) / x.get(0);
        }
        double xy = 0;
        double xx = 0;
        for (int i = 1; i < x.size(); i++) {
            double dx = x.get(i) - x.get(0);
            xy += dx * (y.get(i) - y.get(0));
            xx += dx * dx;
        }
        return xx == 0 ? Double.NaN : xy / xx;
    }

    /** Resident memory after a collection has had the chance to free dead arrays. */
    private static double settledRssMb() throws InterruptedException {
        System.gc();
        System.gc();
        Thread.sleep(300);
        return Bench.rssMb();
    }
}
