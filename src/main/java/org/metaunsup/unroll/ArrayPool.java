package org.metaunsup.unroll;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.BaseNDArray;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Released intermediate arrays of one thread's passes, kept for the next allocation of the same
 * type, order and shape. A truncation graph asks for the same shapes on every pass, so nearly
 * every allocation after the first pass is served from here.
 *
 * <p>Why: a fresh array costs far more than its size suggests. libnd4j zero-fills every buffer
 * it allocates, and glibc gives a thread arena's heap back to the kernel as soon as it is wholly
 * free (whatever the trim threshold says), so each pass's activations landed on new pages that
 * the kernel zeroed first (with transparent huge pages, 2 MB at a time); with the Java side's
 * shape buffers and deallocator bookkeeping, allocation was ~20 % of a {@code small} K=5
 * meta-gradient (JFR and perf, docs/BENCHMARKS.md). A reused array is handed out as it is: ops
 * overwrite their outputs (SameDiff's own array cache relies on the same).
 *
 * <p>Bounded by bytes (an array released into a full pool is freed, and {@link #give} says so) and
 * by age: at the end of each pass ({@link #endPass}) the arrays that pass did not ask for are
 * freed, so arrays of shapes another graph used do not linger. Not thread-safe: one pool per
 * thread.
 */
final class ArrayPool {

    /** One pooled array; {@code taken} marks it handed out again (the eviction queue is lazy). */
    private static final class Entry {
        final String key;
        final INDArray array;
        final long bytes;
        final long pass;
        boolean taken;

        Entry(String key, INDArray array, long bytes, long pass) {
            this.key = key;
            this.array = array;
            this.bytes = bytes;
            this.pass = pass;
        }
    }

    private final long maxBytes;
    private final Map<String, ArrayDeque<Entry>> byShape = new HashMap<>();
    private final ArrayDeque<Entry> byAge = new ArrayDeque<>();
    /** By identity (INDArray's equals compares values): a second release of one array is ignored. */
    private final Set<INDArray> held = Collections.newSetFromMap(new IdentityHashMap<>());
    private long bytes;
    private long pass;
    private long hits;
    private long misses;

    /** @param maxBytes the most this pool holds; 0 frees every released array at once */
    ArrayPool(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * @return a pooled array of exactly this type, order and shape (with a new id, so session
     *     bookkeeping keyed by id treats it as new), or null
     */
    INDArray take(DataType type, char order, long[] shape) {
        ArrayDeque<Entry> q = byShape.get(key(type, order, shape));
        Entry e = q == null ? null : q.pollLast();
        if (e == null) {
            misses++;
            return null;
        }
        e.taken = true;
        held.remove(e.array);
        bytes -= e.bytes;
        hits++;
        ((BaseNDArray) e.array).assignNewId();
        return e.array;
    }

    /**
     * Keeps a released array for reuse, or frees it: views, arrays sharing a buffer and
     * closed arrays are left to the garbage collector as before.
     *
     * @return false when the array was freed because the pool is full
     */
    boolean give(INDArray array) {
        if (held.contains(array)) {
            return true;
        }
        if (array.isView() || !array.closeable() || array.wasClosed() || array.isEmpty()
                || array.data().length() != array.length()) {
            free(array);
            return true;
        }
        long size = array.length() * array.dataType().width();
        if (bytes + size > maxBytes) {
            array.close();
            return false;
        }
        Entry e = new Entry(key(array.dataType(), array.ordering(), array.shape()), array, size, pass);
        byShape.computeIfAbsent(e.key, k -> new ArrayDeque<>()).addLast(e);
        byAge.addLast(e);
        held.add(array);
        bytes += size;
        if (byAge.size() > 2 * held.size() + 4096) {
            // Drop the queue's stale entries (arrays handed out again) now and then.
            byAge.removeIf(x -> x.taken);
        }
        return true;
    }

    /**
     * Ends a pass: frees the arrays that were already here when the pass began and that it did
     * not ask for (shapes of another graph, or of a pass that is over), so the pool holds about
     * one pass's arrays and follows the thread from graph to graph.
     */
    void endPass() {
        while (!byAge.isEmpty() && (byAge.peekFirst().taken || byAge.peekFirst().pass < pass)) {
            Entry e = byAge.pollFirst();
            if (!e.taken) {
                evict(e);
            }
        }
        pass++;
    }

    /** Frees the oldest array held, {@code e}, just taken off the age queue. */
    private void evict(Entry e) {
        // The oldest of its shape is first in its own queue too (both are in release order).
        ArrayDeque<Entry> q = byShape.get(e.key);
        q.pollFirst();
        if (q.isEmpty()) {
            byShape.remove(e.key);
        }
        bytes -= e.bytes;
        held.remove(e.array);
        e.array.close();
    }

    /** Frees an array that is not kept: views and shared buffers are left to their owner. */
    static void free(INDArray array) {
        if (array.closeable() && !array.wasClosed()) {
            array.close();
        }
    }

    /** Frees everything held. */
    void clear() {
        for (Entry e : byAge) {
            if (!e.taken) {
                e.array.close();
            }
        }
        byAge.clear();
        byShape.clear();
        held.clear();
        bytes = 0;
    }

    /** @return bytes held now */
    long bytes() {
        return bytes;
    }

    /** @return allocations served from the pool so far */
    long hits() {
        return hits;
    }

    /** @return allocations the pool could not serve so far */
    long misses() {
        return misses;
    }

    private static String key(DataType type, char order, long[] shape) {
        StringBuilder b = new StringBuilder(24).append(type.ordinal()).append(order);
        for (long s : shape) {
            b.append(',').append(s);
        }
        return b.toString();
    }
}
