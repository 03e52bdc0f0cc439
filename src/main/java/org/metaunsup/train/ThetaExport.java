package org.metaunsup.train;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.metaunsup.export.ThetaCard;
import org.metaunsup.export.ThetaFile;
import org.metaunsup.io.AtomicFiles;
import org.metaunsup.rule.Theta;

/**
 * Writes θ at a checkpoint as the project's θ file ({@link ThetaFile}, docs/THETA_FORMAT.md): one
 * SameDiff FlatBuffers file that a fresh JVM reads with plain {@code SameDiff.fromFlatFile} (θ as
 * VARIABLEs {@code theta/<canonical name>}, one inner step, the card), and beside it
 * {@code step-<N>.json}: the same {@link ThetaCard} plus what the run adds (engine, workers, wall
 * time, training data). The one place meta-training writes θ files; one card for both.
 */
public final class ThetaExport {

    /** File ending of exported θ. */
    public static final String EXTENSION = ThetaFile.EXTENSION;

    private ThetaExport() {}

    /**
     * @param step outer step
     * @return the file stem of that step's θ file in {@code theta/}, e.g. {@code step-00000010}
     */
    static String stem(long step) {
        return String.format("step-%08d", step);
    }

    /**
     * Writes {@code theta/step-<N>.theta.fb}, then {@code theta/step-<N>.json}, each atomically.
     *
     * @param thetaDir the run's {@code theta/} folder
     * @param theta θ
     * @param step outer steps applied to θ
     * @param seed run seed
     * @param provenance the run's provenance
     * @param wallSeconds run wall time at the step
     * @throws IOException on failure
     */
    static void write(Path thetaDir, Theta theta, long step, long seed, RunProvenance provenance, double wallSeconds)
            throws IOException {
        String stem = stem(step);
        ThetaCard card = ThetaCard.of(provenance.config(), step, Map.of("run", seed), provenance.dataChecksums());
        ThetaFile.write(thetaDir.resolve(stem + EXTENSION), theta, card);
        FaultPoint.THETA_EXPORT.reach();
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Map<String, Object> side = new LinkedHashMap<>();
        side.put("format", "metaunsup theta file (docs/THETA_FORMAT.md): SameDiff FlatBuffers, theta/<canonical name> "
                + "variables, one inner step, the card");
        side.put("file", stem + EXTENSION);
        side.putAll(json.readValue(card.toJson(), new TypeReference<Map<String, Object>>() {}));
        side.put("dtype", theta.dataType().name());
        side.put("engine", provenance.options().engine());
        side.put("workers", provenance.options().workers());
        side.put("wall_seconds", Math.round(wallSeconds * 1000) / 1000.0);
        side.put("theta_spec", theta.spec().describe());
        side.put("training_data", provenance.trainingData());
        AtomicFiles.writeString(thetaDir.resolve(stem + ".json"), json.writeValueAsString(side) + "\n");
    }
}
