package org.metaunsup.unroll;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import java.util.Objects;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.GraphConfig;
import org.metaunsup.rule.Theta;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Truncation graphs cached per (architecture, K, objective, dtype): building a graph and its
 * gradient function costs seconds, so a graph is built once and reused across truncations
 * and tasks, with only θ (copied in) and placeholders changing. Least recently used graphs are
 * dropped beyond a count or a memory budget. Not thread-safe: one cache (and its graphs) per
 * worker thread.
 */
public final class UnrollGraphCache {

    /**
     * Memory a cached graph keeps per op of its forward graph, its gradient function (~2.6 ops
     * per forward op) and what the JVM and the native allocator hold for them between passes
     * included. Measured: a worker cycling 20 graphs of the small task grid (2–3 hidden layers of
     * width 32–128, K = 5 and 10, 5.6k–17k forward ops each) grew by ~300 MB of resident memory
     * per graph it kept, ~40 KB per forward op (docs/BENCHMARKS.md, "Memory in meta-training").
     */
    public static final long BYTES_PER_FORWARD_OP = 40L << 10;

    private record Key(BaseModelConfig base, int steps, boolean objective, DataType dtype) {}

    private final GraphConfig config;
    private final Cache<Key, UnrollGraph> graphs;
    private int builds;

    private UnrollGraphCache(GraphConfig config, Cache<Key, UnrollGraph> graphs) {
        this.config = config;
        this.graphs = graphs;
    }

    /**
     * @param config rule widths, inner batch, η and objective shared by every cached graph
     * @param capacity graphs kept at most
     * @return a cache bounded by count
     */
    public static UnrollGraphCache byCount(GraphConfig config, int capacity) {
        return new UnrollGraphCache(config, CacheBuilder.newBuilder().concurrencyLevel(1)
                .maximumSize(capacity).build());
    }

    /**
     * @param config rule widths, inner batch, η and objective shared by every cached graph
     * @param maxBytes memory the cached graphs may hold, by {@link #estimatedBytes}; a graph larger
     *     than that is built, used and not kept
     * @return a cache bounded by memory
     */
    public static UnrollGraphCache byMemory(GraphConfig config, long maxBytes) {
        // Weights in KiB so that a weight fits an int.
        return new UnrollGraphCache(config, CacheBuilder.newBuilder().concurrencyLevel(1)
                .maximumWeight(Math.max(0, maxBytes >> 10))
                .weigher((Key k, UnrollGraph g) -> (int) Math.min(Integer.MAX_VALUE, estimatedBytes(g) >> 10))
                .build());
    }

    /**
     * @param graph a built graph
     * @return the memory it is estimated to keep while cached
     */
    public static long estimatedBytes(UnrollGraph graph) {
        return graph.sameDiff().getOps().size() * BYTES_PER_FORWARD_OP;
    }

    /**
     * @param base architecture
     * @param steps K
     * @param withObjective whether the meta-objective is part of the graph
     * @param theta θ to load into the graph (built from it on a miss, copied in on a hit)
     * @param dtype floating type
     * @return a graph holding θ
     */
    public UnrollGraph get(BaseModelConfig base, int steps, boolean withObjective, Theta theta, DataType dtype) {
        Key key = new Key(Objects.requireNonNull(base), steps, withObjective, dtype);
        UnrollGraph g = graphs.getIfPresent(key);
        if (g == null) {
            g = UnrollGraph.build(config, base, steps, theta, withObjective, dtype);
            graphs.put(key, g);
            builds++;
        } else {
            g.loadTheta(theta);
        }
        return g;
    }

    /** @return graphs built so far (misses) */
    public int builds() {
        return builds;
    }

    /** @return graphs held */
    public long size() {
        graphs.cleanUp();
        return graphs.size();
    }

    /** @return estimated memory of the graphs held, in bytes */
    public long bytes() {
        return graphs.asMap().values().stream().mapToLong(UnrollGraphCache::estimatedBytes).sum();
    }
}
