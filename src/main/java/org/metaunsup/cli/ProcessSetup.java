package org.metaunsup.cli;

import java.nio.file.Path;
import org.metaunsup.unroll.GraphStore;
import org.metaunsup.unroll.RuntimePolicy;
import org.metaunsup.util.CustomOps;
import org.metaunsup.util.ThreadSettings;

/**
 * The command line's whole-process set-up, run by each command before it builds or loads a
 * graph: nd4j's thread counts ({@link ThreadSettings}), our custom ops ({@link CustomOps}),
 * the command line's {@link RuntimePolicy} and the per-machine folder of saved gradient functions
 * ({@link GraphStore}). It lives here because only the owner of the process
 * may make these choices; the library ({@code export}, {@code dl4j}, {@code eval}) registers our
 * ops and changes nothing else, so a user's JVM keeps its own settings.
 */
public final class ProcessSetup {

    private static volatile boolean done;

    private ProcessSetup() {}

    /** Applies the command line's settings once per process (idempotent, thread-safe). */
    public static synchronized void init() {
        if (done) {
            return;
        }
        ThreadSettings.apply();
        CustomOps.register();
        RuntimePolicy.COMMAND_LINE.install();
        // Built gradient functions are kept per machine (-Dmetaunsup.graph_store=DIR or none).
        Path graphs = GraphStore.defaultFolder();
        GraphStore.install(graphs == null ? null : GraphStore.at(graphs, System.err::println));
        done = true;
    }
}
