package org.metaunsup.train;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.metaunsup.config.GraphConfig;
import org.metaunsup.unroll.GraphStore;
import org.metaunsup.unroll.UnrollGraphCache;

/**
 * Graph caches not in use, owned by an engine or by whoever keeps the pool across engines (a
 * test that resumes a run in the same JVM). Building a graph and its gradient function costs
 * seconds; a worker that ends hands its cache back, so the next worker that borrows from this pool
 * starts warm. Caches are kept by graph config <b>and</b> memory budget, so that a worker never
 * inherits the budget of another thread count; when the owner drops the pool, the graphs in it go
 * too (nothing lives for the JVM). Thread-safe; one cache is only ever used by one worker at a
 * time.
 */
public final class GraphCachePool {

    private record Key(GraphConfig graph, long budget) {}

    private final Map<Key, ArrayDeque<UnrollGraphCache>> free = new HashMap<>();

    /**
     * @param graph the graph config the cache builds for
     * @param budget bytes the cache may hold
     * @return a cache handed back earlier for the same config and budget, or a new one
     */
    public synchronized UnrollGraphCache borrow(GraphConfig graph, long budget) {
        ArrayDeque<UnrollGraphCache> q = free.get(new Key(graph, budget));
        if (q != null && !q.isEmpty()) {
            return q.pop();
        }
        return UnrollGraphCache.byMemory(graph, budget, WorkerContext.freeHiddenWidths())
                .withStore(GraphStore.installed());
    }

    /**
     * @param graph the config the cache was borrowed for
     * @param budget the budget it was borrowed with
     * @param cache the cache, no longer used by its worker
     */
    public synchronized void giveBack(GraphConfig graph, long budget, UnrollGraphCache cache) {
        free.computeIfAbsent(new Key(graph, budget), k -> new ArrayDeque<>()).push(cache);
    }

    /** @return caches waiting to be borrowed */
    public synchronized int idle() {
        return free.values().stream().mapToInt(ArrayDeque::size).sum();
    }
}
