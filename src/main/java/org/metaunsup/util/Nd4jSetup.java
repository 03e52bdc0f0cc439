package org.metaunsup.util;

import org.metaunsup.metaobjective.DifferentiableSolve;

/**
 * What every command that builds or loads a graph needs first: the thread settings and the
 * registration of our differentiable solve in place of the stock one (without it a loaded
 * graph's gradient silently falls back to the stock op, which has none).
 */
public final class Nd4jSetup {

    private Nd4jSetup() {}

    /** Idempotent. */
    public static void init() {
        ThreadSettings.apply();
        DifferentiableSolve.register();
    }
}
