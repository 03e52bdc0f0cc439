package org.metaunsup.unroll;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import java.util.Objects;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.GraphConfig;
import org.metaunsup.rule.LayerWidths;
import org.metaunsup.rule.Theta;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Truncation graphs cached per (architecture, K, objective, dtype), or per (depth, K, objective,
 * dtype) when a graph serves every hidden width ({@link #byMemory(GraphConfig, long, boolean)}): building a graph and its
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

    private record Key(LayerWidths widths, int steps, boolean objective, DataType dtype) {}

    private final GraphConfig config;
    private final Cache<Key, UnrollGraph> graphs;
    private final boolean freeHiddenWidths;
    private GraphStore store;
    private int builds;
    private int loads;

    private UnrollGraphCache(GraphConfig config, Cache<Key, UnrollGraph> graphs, boolean freeHiddenWidths) {
        this.config = config;
        this.graphs = graphs;
        this.freeHiddenWidths = freeHiddenWidths;
    }

    /**
     * @param config rule widths, inner batch, η and objective shared by every cached graph
     * @param capacity graphs kept at most
     * @return a cache bounded by count
     */
    public static UnrollGraphCache byCount(GraphConfig config, int capacity) {
        return new UnrollGraphCache(config, CacheBuilder.newBuilder().concurrencyLevel(1)
                .maximumSize(capacity).build(), false);
    }

    /**
     * @param config rule widths, inner batch, η and objective shared by every cached graph
     * @param maxBytes memory the cached graphs may hold, by {@link #estimatedBytes}; a graph larger
     *     than that is built, used and not kept
     * @return a cache bounded by memory
     */
    public static UnrollGraphCache byMemory(GraphConfig config, long maxBytes) {
        return byMemory(config, maxBytes, false);
    }

    /**
     * @param config rule widths, inner batch, η and objective shared by every cached graph
     * @param maxBytes memory the cached graphs may hold, by {@link #estimatedBytes}
     * @param freeHiddenWidths whether a graph serves every architecture of its depth
     *     ({@link LayerWidths#freeHidden}: same numbers, one build per (depth, K) instead of one per
     *     (architecture, K)) or only the architecture it was built for
     * @return a cache bounded by memory
     */
    public static UnrollGraphCache byMemory(GraphConfig config, long maxBytes, boolean freeHiddenWidths) {
        // Weights in KiB so that a weight fits an int.
        return new UnrollGraphCache(config, CacheBuilder.newBuilder().concurrencyLevel(1)
                .maximumWeight(Math.max(0, maxBytes >> 10))
                .weigher((Key k, UnrollGraph g) -> (int) Math.min(Integer.MAX_VALUE, estimatedBytes(g) >> 10))
                .build(), freeHiddenWidths);
    }

    /** @return whether the graphs of this cache take their hidden widths from each pass */
    public boolean freeHiddenWidths() {
        return freeHiddenWidths;
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
        Objects.requireNonNull(base);
        LayerWidths widths = freeHiddenWidths ? LayerWidths.freeHidden(base) : LayerWidths.fixed(base);
        Key key = new Key(widths, steps, withObjective, dtype);
        UnrollGraph g = graphs.getIfPresent(key);
        if (g == null) {
            g = UnrollGraph.build(config, widths, steps, theta, withObjective, dtype);
            if (store != null && withObjective
                    && store.ensureGradient(g.sameDiff()) == GraphStore.Outcome.LOADED) {
                loads++;
            }
            graphs.put(key, g);
            builds++;
        } else {
            g.loadTheta(theta);
        }
        return g;
    }

    /**
     * Makes every graph this cache builds from now on take its gradient function from the store
     * (or build it and save it there).
     *
     * @param store the store, or null for none
     * @return this cache
     */
    public UnrollGraphCache withStore(GraphStore store) {
        this.store = store;
        return this;
    }

    /** @return graphs whose gradient function came from the store (a subset of {@link #builds()}) */
    public int loads() {
        return loads;
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
