package org.metaunsup.util;

import org.metaunsup.unroll.RuntimePolicy;

/**
 * The command line's whole-process set-up: thread settings, custom ops and the command line's
 * {@link RuntimePolicy}.
 *
 * @deprecated the command line's set-up is {@code cli.ProcessSetup}; this copy stays only until
 *     {@code cli.MetatrainCommand} (being split separately) calls that instead, and then goes,
 *     taking with it the one import of {@code unroll} from {@code util}. Library code must not
 *     call it: a user's JVM keeps its own settings and calls only {@link CustomOps#register()}.
 */
@Deprecated
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
