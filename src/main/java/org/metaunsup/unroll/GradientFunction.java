package org.metaunsup.unroll;

import java.io.OutputStream;
import java.io.PrintStream;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.autodiff.samediff.internal.memory.NoOpMemoryMgr;

/**
 * Builds a graph's gradient function once, up front. SameDiff M2.1 prints a line per
 * differentiated op to standard output while doing so (thousands for an unroll); that output
 * is suppressed here, so the build holds a global lock while System.out is swapped.
 *
 * <p>It also makes the calling thread's sessions of the graph and of its gradient function
 * free intermediate arrays as soon as they are dead. SameDiff's default session caches released
 * arrays; for a gradient pass, which keeps every activation alive, new buffers then keep landing
 * on fresh pages, and page faults are expensive on the machines we measured (a fresh 6.4 MB
 * array: ~20 ms against ~0.5 ms for reused memory), while resident memory grows with every
 * call. Freed at once, the C allocator hands the same pages back (with the allocator settings
 * of {@code util.Launcher}): the small K=1 meta-gradient went from 2.7 s to about 1.0 s
 * (docs/BENCHMARKS.md). Forward-only graphs keep the default, which reuses arrays well there.
 */
public final class GradientFunction {

    private static final Object STDOUT_LOCK = new Object();

    /**
     * Graphs whose sessions free arrays eagerly, by identity (SameDiff's own hashCode walks the
     * whole graph) and weakly (graphs may be dropped from caches).
     */
    private static final java.util.List<java.lang.ref.WeakReference<SameDiff>> EAGER = new java.util.ArrayList<>();

    private static boolean isEager(SameDiff sd) {
        synchronized (EAGER) {
            EAGER.removeIf(r -> r.get() == null);
            for (java.lang.ref.WeakReference<SameDiff> r : EAGER) {
                if (r.get() == sd) {
                    return true;
                }
            }
            return false;
        }
    }

    static {
        // SameDiff re-creates sessions (it clears them when a gradient function is added), so
        // the choice is made where every session is born.
        SameDiff.bindInferenceFactory(sd -> {
            InferenceSession session = new InferenceSession(sd);
            if (isEager(sd)) {
                session.setMmgr(new NoOpMemoryMgr());
            }
            return session;
        });
    }

    private GradientFunction() {}

    /**
     * @param sd graph with its loss variables set
     */
    public static void ensureBuilt(SameDiff sd) {
        if (sd.getFunction("grad") == null) {
            build(sd);
        }
        freeEagerly(sd);
        freeEagerly(sd.getFunction("grad"));
    }

    private static void freeEagerly(SameDiff sd) {
        if (!isEager(sd)) {
            synchronized (EAGER) {
                EAGER.add(new java.lang.ref.WeakReference<>(sd));
            }
        }
        for (InferenceSession session : sd.getSessions().values()) {
            if (!(session.getMmgr() instanceof NoOpMemoryMgr)) {
                session.setMmgr(new NoOpMemoryMgr());
            }
        }
    }

    private static void build(SameDiff sd) {
        synchronized (STDOUT_LOCK) {
            PrintStream out = System.out;
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            try {
                sd.createGradFunction();
            } finally {
                System.setOut(out);
            }
        }
    }
}
