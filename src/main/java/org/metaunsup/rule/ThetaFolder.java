package org.metaunsup.rule;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.metaunsup.BadInputException;
import org.metaunsup.config.RuleConfig;
import org.metaunsup.io.TraceFiles;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A θ folder: the {@code theta/*} tensors of the trace format (float64 .npy + index.json,
 * docs/TRACE_FORMAT.md), readable by NumPy and by other implementations. A trace folder is
 * also a θ folder.
 */
public final class ThetaFolder {

    private ThetaFolder() {}

    /**
     * @param dir target folder
     * @param theta values
     * @param metadata extra index fields (config, top units, provenance)
     * @throws IOException on failure
     */
    public static void write(Path dir, Theta theta, Map<String, Object> metadata) throws IOException {
        List<TraceFiles.Entry> entries = new ArrayList<>();
        theta.values().forEach((k, v) -> entries.add(new TraceFiles.Entry(ThetaGraph.PREFIX + k, v, "rule parameters")));
        TraceFiles.write(dir, entries, metadata);
    }

    /**
     * Reads θ and checks every tensor against the spec for these rule widths.
     *
     * @param dir θ or trace folder
     * @param rule rule widths
     * @param dtype array type
     * @return θ
     */
    public static Theta read(Path dir, RuleConfig rule, DataType dtype) {
        Map<String, INDArray> all = TraceFiles.read(dir);
        INDArray mix1 = all.get(ThetaGraph.PREFIX + "top.mix1.w");
        if (mix1 == null) {
            throw new BadInputException(dir + ": no theta/top.mix1.w (not a theta folder)");
        }
        ThetaSpec spec = new ThetaSpec(rule, (int) mix1.shape()[0]);
        Map<String, INDArray> v = new LinkedHashMap<>();
        for (ThetaSpec.Tensor t : spec.tensors()) {
            INDArray a = all.get(ThetaGraph.PREFIX + t.name());
            if (a == null) {
                throw new BadInputException(dir + ": theta tensor " + t.name() + " missing (rule widths of the "
                        + "config do not match this theta?)");
            }
            if (!Arrays.equals(a.shape(), t.shape())) {
                throw new BadInputException(dir + ": theta/" + t.name() + " has shape "
                        + Arrays.toString(a.shape()) + ", the config's rule needs "
                        + Arrays.toString(t.shape()));
            }
            if (a.isNaN().any() || a.isInfinite().any()) {
                throw new BadInputException(dir + ": theta/" + t.name() + " holds NaN or infinite values");
            }
            v.put(t.name(), a.castTo(dtype));
        }
        return new Theta(spec, v);
    }
}
