package org.metaunsup.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.export.ThetaCard;
import org.metaunsup.export.ThetaFile;
import org.metaunsup.rule.Theta;

/**
 * Writes θ at a checkpoint as the project's θ file ({@link ThetaFile}, docs/THETA_FORMAT.md): one
 * SameDiff FlatBuffers file that a fresh JVM reads with plain {@code SameDiff.fromFlatFile} (θ as
 * VARIABLEs {@code theta/<canonical name>}, one inner step, the card). The one place meta-training
 * writes θ files.
 */
public final class ThetaExport {

    /** File ending of exported θ. */
    public static final String EXTENSION = ThetaFile.EXTENSION;

    private ThetaExport() {}

    /**
     * @param file target (written atomically)
     * @param theta θ
     * @param config the run's config
     * @param outerStep outer steps applied to θ
     * @param seed run seed
     * @param dataChecksums training data files → MD5
     * @throws IOException on failure
     */
    public static void write(Path file, Theta theta, ExperimentConfig config, long outerStep, long seed,
                             Map<String, String> dataChecksums) throws IOException {
        ThetaFile.write(file, theta, ThetaCard.of(config, outerStep, Map.of("run", seed), dataChecksums));
    }
}
