package org.metaunsup.train;

import org.bytedeco.javacpp.Pointer;

/**
 * Collects garbage when the process's resident memory has grown by a step since the last
 * collection. nd4j frees the native memory of an array whose Java wrapper was dropped only when
 * the wrapper is collected, and the Java heap of a trainer is small next to the native memory its
 * arrays hold (the largest truncation of the {@code small} grid peaks at 5.7 GB on its own,
 * measured with {@code bench}). The 19 GB growth of a one-worker run that motivated this guard
 * turned out to be arrays still referenced by cached graphs' sessions (fixed in
 * {@code unroll.GradientFunction}); the guard remains a backstop for dropped ones. Collected early, that memory is freed while the C allocator can still hand it to
 * the next pass, so the process stays near its live set. Policy of the trainer, called between
 * gradients; one collection pauses every worker thread for a fraction of a second.
 */
final class NativeMemoryGuard {

    private final long step;
    private long baseline;
    private int collections;

    /**
     * @param step growth of resident memory, in bytes, that triggers a collection
     */
    NativeMemoryGuard(long step) {
        this.step = step;
        this.baseline = Pointer.physicalBytes();
    }

    /** @return a guard with a step of an eighth of JavaCPP's limit (at least 512 MB) */
    static NativeMemoryGuard forThisProcess() {
        long max = Pointer.maxPhysicalBytes();
        return new NativeMemoryGuard(Math.max(512L << 20, max > 0 ? max / 8 : 2L << 30));
    }

    /** Collects if resident memory grew by the step since the last collection. */
    void afterGradient() {
        long now = Pointer.physicalBytes();
        if (now > baseline + step) {
            System.gc();
            collections++;
            // What the allocator keeps after the collection is the new baseline: freed memory
            // is reused from there, and only growth beyond it calls for another collection.
            baseline = Pointer.physicalBytes();
        }
    }

    /** @return collections made */
    int collections() {
        return collections;
    }
}
