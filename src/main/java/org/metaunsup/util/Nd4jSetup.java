package org.metaunsup.util;

import org.metaunsup.unroll.RuntimePolicy;

/**
 * The command line's whole-process set-up, before anything builds or loads a graph: the thread
 * settings ({@link ThreadSettings}), our custom ops ({@link CustomOps}) and the command line's
 * {@link RuntimePolicy}. Library users who only load θ or graphs call {@link CustomOps#register()}
 * instead and keep their own nd4j settings.
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
        CustomOps.register();
        RuntimePolicy.COMMAND_LINE.install();
        done = true;
    }
}
