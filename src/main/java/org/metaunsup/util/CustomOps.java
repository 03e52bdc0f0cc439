package org.metaunsup.util;

import org.metaunsup.metaobjective.DifferentiableSolve;
import org.metaunsup.ops.BroadcastScale;

/**
 * Registers every custom op of MetaUnsup with nd4j: the differentiable solve of the ridge
 * meta-objective and the broadcast multiply with the cheaper backward ({@code ops.BroadcastScale}).
 * Without it, a graph loaded from FlatBuffers silently falls back to the stock ops (the solve's
 * gradient then throws). This is all a JVM of your own needs before it loads our θ or
 * graphs: it changes no thread count, memory setting or output stream (those are
 * {@link ThreadSettings} and {@code unroll.RuntimePolicy}, which only the command line applies).
 */
public final class CustomOps {

    private CustomOps() {}

    /** Idempotent and thread-safe. */
    public static void register() {
        DifferentiableSolve.register();
        BroadcastScale.register();
    }
}
