package org.metaunsup.unroll;

import org.metaunsup.util.NativeBudget;
import org.nd4j.autodiff.samediff.internal.SessionMemMgr;
import org.nd4j.autodiff.samediff.internal.memory.AbstractMemoryMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The session memory manager of gradient passes: an intermediate array is given back the moment
 * the session releases it (once no op still to run needs it), to a pool of the calling thread
 * ({@link ArrayPool}) that hands it to the next allocation of the same shape, in this pass or the
 * next. The pool is per thread, not per session, so graphs kept in a cache hold no arrays between
 * their passes.
 *
 * <p>Why not SameDiff's own managers: {@code NoOpMemoryMgr} ignores releases and leaves every
 * array to the garbage collector, and the Java heap is too small for a collection to happen
 * within a pass; the default {@code ArrayCacheMemoryMgr} is one per session, so every cached
 * graph kept its own released arrays (~600 MB per small K=5 graph). Releases only happen when the
 * graph's cache flag is on, see {@link GradientFunction#run}.
 *
 * <p>Pool size per thread: {@value #POOL_MB_PROPERTY} (MB), by default {@link #DEFAULT_POOL_SHARE}
 * of JavaCPP's native memory limit split among the cores; 0 frees each array at once. A graph
 * whose pass does not fit stops using the pool (see {@link #endPass}): its arrays are freed on
 * release, as before the pool existed.
 */
public final class ReusingMemoryMgr extends AbstractMemoryMgr implements SessionMemMgr {

    /** System property: the pool's bound per thread in MB. */
    public static final String POOL_MB_PROPERTY = "metaunsup.array_pool_mb";

    /** Share of the native memory limit that all threads' pools may hold together by default. */
    public static final double DEFAULT_POOL_SHARE = 0.3;

    private static final ThreadLocal<ArrayPool> POOL = ThreadLocal.withInitial(() -> new ArrayPool(poolBytes()));

    static long poolBytes() {
        return Math.max(0, NativeBudget.bytesPerThread(POOL_MB_PROPERTY, DEFAULT_POOL_SHARE,
                Runtime.getRuntime().availableProcessors()));
    }

    /** @return the calling thread's pool (for tests) */
    static ArrayPool threadPool() {
        return POOL.get();
    }

    /**
     * @param hits allocations served from the pool so far
     * @param misses allocations that got a new array
     * @param bytes bytes the pool holds now
     */
    public record PoolStats(long hits, long misses, long bytes) {}

    /** @return the calling thread's pool counters (for bench) */
    public static PoolStats threadStats() {
        ArrayPool p = POOL.get();
        return new PoolStats(p.hits(), p.misses(), p.bytes());
    }

    /** Whether this session's graph draws on the pool; off for good once a pass overflowed it. */
    private boolean pooling = true;
    private boolean overflowed;

    /**
     * Ends a pass of this session's graph on the calling thread ({@link ArrayPool#endPass}). A
     * graph whose pass did not fit in the pool stops using it and the pool is emptied: a
     * partly pooled pass is worse than none, since the arrays kept pin memory that glibc would
     * otherwise reuse and the rest lands on fresh pages (paper K=5 with a 2.5 GB pool: 16.5 s
     * and a 10.0 GB peak, against 14.3 s and 7.8 GB unpooled).
     */
    void endPass() {
        if (!pooling) {
            return;
        }
        if (overflowed) {
            pooling = false;
            POOL.get().clear();
        } else {
            POOL.get().endPass();
        }
    }

    /** @return whether this graph's passes still use the pool */
    boolean pooling() {
        return pooling;
    }

    @Override
    public INDArray allocate(boolean detached, DataType dataType, long... shape) {
        INDArray a = pooling ? POOL.get().take(dataType, 'c', shape) : null;
        return a != null ? a : Nd4j.createUninitialized(dataType, shape);
    }

    @Override
    public INDArray allocate(boolean detached, LongShapeDescriptor descriptor) {
        if (pooling && !descriptor.isEmpty()) {
            INDArray a = POOL.get().take(descriptor.dataType(), descriptor.getOrder(), descriptor.getShape());
            if (a != null) {
                return a;
            }
        }
        return Nd4j.create(descriptor, false);
    }

    @Override
    public void release(INDArray array) {
        if (!pooling) {
            ArrayPool.free(array);
        } else if (!POOL.get().give(array)) {
            overflowed = true;
        }
    }

    @Override
    public void close() {
        // The pool belongs to the thread, not to the session.
    }
}
