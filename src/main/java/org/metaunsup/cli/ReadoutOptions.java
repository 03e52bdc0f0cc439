package org.metaunsup.cli;

import org.metaunsup.eval.EvalProtocol;
import picocli.CommandLine.Option;

/**
 * The few-shot readout options shared by {@code evaluate}, {@code transfer} and {@code invariance}
 * (a picocli mixin): shots per class, query size and support draws per measurement.
 */
final class ReadoutOptions {

    /** Ridge λ of every readout (docs/METHOD.md#meta-objective). */
    static final double LAMBDA = 0.1;

    @Option(names = "--shots", defaultValue = "10", description = "labelled support examples per class (default: ${DEFAULT-VALUE})")
    int shots;

    @Option(names = "--query", defaultValue = "2000", description = "held-out query examples (default: ${DEFAULT-VALUE})")
    int query;

    @Option(names = "--draws", defaultValue = "10", description = "support draws per measurement (default: ${DEFAULT-VALUE})")
    int draws;

    /**
     * @param steps training steps per method
     * @param every measurement period
     * @param seeds seeds averaged
     * @return the protocol with these readout options
     */
    EvalProtocol protocol(int steps, int every, int seeds) {
        return new EvalProtocol(steps, every, seeds, shots, query, draws, LAMBDA);
    }
}
