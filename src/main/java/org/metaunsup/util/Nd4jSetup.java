package org.metaunsup.util;

import org.metaunsup.metaobjective.DifferentiableSolve;

/**
 * What every command that builds or loads a graph needs first: the thread settings, the
 * registration of our differentiable solve in place of the stock one (without it a loaded
 * graph's gradient silently falls back to the stock op, which has none).
 */
public final class Nd4jSetup {

    private static volatile boolean done;

    private Nd4jSetup() {}

    /** Idempotent. */
    public static synchronized void init() {
        if (done) {
            return;
        }
        ThreadSettings.apply();
        DifferentiableSolve.register();
        done = true;
    }
}
