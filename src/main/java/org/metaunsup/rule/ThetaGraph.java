package org.metaunsup.rule;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * θ inside one SameDiff graph: one VARIABLE per tensor, named {@code theta/<canonical name>}
 * in canonical layout, plus views derived once per graph (not once per inner step) in the
 * layouts the ops want: convolution kernels as [kernel, in, out] and every per-unit linear map
 * of h (readouts of terms 5–12, the δ map and the bias map) fused into one matrix so that one
 * matrix product per layer computes them all.
 */
public final class ThetaGraph {

    /** Prefix of every θ variable name. */
    public static final String PREFIX = "theta/";

    private final SameDiff sd;
    private final ThetaSpec spec;
    private final Map<String, SDVariable> vars = new HashMap<>();
    private final Map<String, SDVariable> convKernels = new HashMap<>();
    private final SDVariable fusedW;
    private final SDVariable fusedB;
    private final Map<String, Integer> fusedOffset = new HashMap<>();
    private final int fusedWidth;

    /**
     * Creates the θ variables with the given values and the derived views.
     *
     * @param sd the graph
     * @param theta initial values (canonical layout)
     * @param dtype graph floating type
     */
    public ThetaGraph(SameDiff sd, Theta theta, DataType dtype) {
        this.sd = sd;
        this.spec = theta.spec();
        for (ThetaSpec.Tensor t : spec.tensors()) {
            vars.put(t.name(), sd.var(PREFIX + t.name(), theta.get(t.name()).castTo(dtype).dup()));
        }
        // Fused per-unit linear maps of h: [h, sum of widths], one column block per map.
        List<SDVariable> ws = new ArrayList<>();
        List<SDVariable> bs = new ArrayList<>();
        int offset = 0;
        List<String> maps = new ArrayList<>(spec.readoutMaps());
        maps.add("delta");
        maps.add("bias");
        for (String map : maps) {
            fusedOffset.put(map, offset);
            offset += (int) spec.tensor(map + ".b").shape()[0];
            ws.add(vars.get(map + ".w"));
            bs.add(vars.get(map + ".b"));
        }
        fusedWidth = offset;
        try (var scope = sd.withNameScope("theta_views")) {
            fusedW = sd.concat("fused_w", 1, ws.toArray(new SDVariable[0]));
            fusedB = sd.concat("fused_b", 0, bs.toArray(new SDVariable[0]));
            for (ThetaSpec.Tensor t : spec.tensors()) {
                if (t.shape().length == 3) {
                    String block = t.name().substring(0, t.name().length() - 2);
                    convKernels.put(block, sd.permute(block + "_kio", vars.get(t.name()), 2, 1, 0));
                }
            }
        }
    }

    /** @return the tensor list */
    public ThetaSpec spec() {
        return spec;
    }

    /**
     * @param name canonical name without prefix
     * @return the θ variable
     */
    public SDVariable var(String name) {
        SDVariable v = vars.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no theta tensor " + name);
        }
        return v;
    }

    /**
     * @param block convolution block, e.g. {@code h.c0}
     * @return its kernel as [kernel, in, out] (the layout of nd4j's conv1d)
     */
    public SDVariable kernel(String block) {
        SDVariable v = convKernels.get(block);
        if (v == null) {
            throw new IllegalArgumentException("no convolution block " + block);
        }
        return v;
    }

    /** @return all per-unit linear maps of h fused into one [h, width] matrix */
    public SDVariable fusedWeights() {
        return fusedW;
    }

    /** @return the matching fused bias [width] */
    public SDVariable fusedBias() {
        return fusedB;
    }

    /** @return columns of the fused matrix */
    public int fusedWidth() {
        return fusedWidth;
    }

    /**
     * @param map a readout map name ({@code W.r0.top}), {@code delta} or {@code bias}
     * @return its first column in the fused matrix
     */
    public int fusedOffset(String map) {
        Integer o = fusedOffset.get(map);
        if (o == null) {
            throw new IllegalArgumentException("no fused map " + map);
        }
        return o;
    }

    /** @return the graph */
    public SameDiff sameDiff() {
        return sd;
    }
}
