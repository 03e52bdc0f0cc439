package org.metaunsup.unroll;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.GraphConfig;
import org.metaunsup.rule.Theta;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Truncation graphs cached per (architecture, K, objective, dtype): building a graph and its
 * gradient function costs seconds, so a graph is built once and reused across truncations
 * and tasks, with only θ (copied in) and placeholders changing. Least recently used graphs are
 * dropped beyond the capacity. Not thread-safe: one cache (and its graphs) per worker thread.
 */
public final class UnrollGraphCache {

    private record Key(BaseModelConfig base, int steps, boolean objective, DataType dtype) {}

    private final GraphConfig config;
    private final Map<Key, UnrollGraph> graphs;
    private int builds;

    /**
     * @param config rule widths, inner batch, η and objective shared by every cached graph
     * @param capacity graphs kept at most
     */
    public UnrollGraphCache(GraphConfig config, int capacity) {
        this.config = config;
        this.graphs = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, UnrollGraph> eldest) {
                return size() > capacity;
            }
        };
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
        UnrollGraph g = graphs.get(key);
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
    public int size() {
        return graphs.size();
    }
}
