package org.metaunsup.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import org.metaunsup.io.AtomicFiles;
import org.metaunsup.rule.Theta;
import org.metaunsup.rule.ThetaGraph;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Writes θ at a checkpoint as a SameDiff FlatBuffers file that a fresh JVM reads with plain
 * {@code SameDiff.fromFlatFile}: every tensor a VARIABLE named {@code theta/<canonical name>}
 * (DESIGN.md §10 names and layouts). The one place meta-training writes θ files, so that switching
 * to the project's θ file format (with its card and inner-step graph) is a change here only.
 */
public final class ThetaExport {

    /** File ending of exported θ. */
    public static final String EXTENSION = ".theta.fb";

    private ThetaExport() {}

    /**
     * @param file target (written atomically)
     * @param theta θ
     * @param card provenance, kept in the JSON manifest beside the file (not inside it here)
     * @throws IOException on failure
     */
    public static void write(Path file, Theta theta, Map<String, Object> card) throws IOException {
        SameDiff sd = SameDiff.create();
        for (Map.Entry<String, INDArray> e : theta.values().entrySet()) {
            sd.var(ThetaGraph.PREFIX + e.getKey(), e.getValue().dup());
        }
        ByteBuffer buf = sd.asFlatBuffers(false);
        byte[] bytes = new byte[buf.remaining()];
        buf.get(bytes);
        AtomicFiles.write(file, bytes);
    }
}
