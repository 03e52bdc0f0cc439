package org.metaunsup.train;

import org.metaunsup.config.ExperimentConfig;
import org.nd4j.linalg.api.buffer.DataType;

/** Creates the Spark engine (kept apart so that the threads engine never loads Spark classes). */
final class SparkSupport {

    private SparkSupport() {}

    static Engine engine(ExperimentConfig config, long seed, DataType dtype, String master, int workers) {
        return new SparkEngine(config, seed, dtype, master, workers);
    }
}
