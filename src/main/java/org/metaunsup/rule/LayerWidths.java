package org.metaunsup.rule;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.ops.GraphOps;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Which unit widths of a graph are fixed when it is built and which are free (known only from the
 * placeholders of a pass), and the graph inputs that depend on a width.
 *
 * <p>Every op the rule and the base model use takes its output shape from its inputs at run time
 * (libnd4j computes shapes per call; {@code slice} and {@code reshape} accept −1 for "the rest").
 * What does not are the rule's few width-dependent <em>values</em>: the unit-position code
 * sin/cos(linspace(0, 4π, n)), the zero-diagonal mask of the "symm" readouts and the scale factors
 * 1/(B√n), 1/(gB√n) and 1/√(2n). For a free layer these enter as placeholders
 * ({@link #inputs}), computed in double exactly as the fixed graph computes its constants, so one
 * graph serves every width with the same numbers as a graph built for that width (bit for bit,
 * {@code unroll.FreeWidthGraphTest}). Input and top layers are always fixed: the permutation and
 * θ's top-down block depend on them.
 */
public final class LayerWidths {

    /** Scale factors of the weight-update terms that depend on a layer's width n. */
    enum Factor {
        /** 1/(B√n): the correlation matrix of the decorrelation term (3). */
        C_UP("c_up"),
        /** 1/(gB√n): the Gram matrix of the "psd" lateral term (9). */
        PSD("psd");

        private final String key;

        Factor(String key) {
            this.key = key;
        }

        double value(int n, int batch, int g) {
            return switch (this) {
                case C_UP -> 1.0 / (batch * Math.sqrt(n));
                case PSD -> (1.0 / ((double) g * batch)) / Math.sqrt(n);
            };
        }
    }

    private static final String PREFIX = "widths/l";

    private final BaseModelConfig base;
    private final boolean[] free;

    private LayerWidths(BaseModelConfig base, boolean[] free) {
        this.base = base;
        this.free = free;
    }

    /**
     * @param base architecture
     * @return every width fixed to base's
     */
    public static LayerWidths fixed(BaseModelConfig base) {
        return new LayerWidths(base, new boolean[base.depth() + 1]);
    }

    /**
     * @param base an architecture of the depth, input width, top width and activation wanted (its
     *     hidden widths are ignored)
     * @return hidden widths free, input and top fixed
     */
    public static LayerWidths freeHidden(BaseModelConfig base) {
        boolean[] f = new boolean[base.depth() + 1];
        for (int l = 1; l < base.depth(); l++) {
            f[l] = true;
        }
        return new LayerWidths(base, f);
    }

    /** @return whether some width is free */
    public boolean anyFree() {
        for (boolean b : free) {
            if (b) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param l layer index 0 … L
     * @return whether n_l is free
     */
    public boolean isFree(int l) {
        return free[l];
    }

    /**
     * @param l layer index 0 … L
     * @return n_l, or −1 when it is free
     */
    public long dim(int l) {
        return free[l] ? -1 : base.width(l);
    }

    /**
     * @param other an architecture
     * @return whether a graph with these widths can run it: same depth and activation, equal
     *     fixed widths
     */
    public boolean accepts(BaseModelConfig other) {
        if (other.depth() != base.depth() || other.activation() != base.activation()) {
            return false;
        }
        for (int l = 0; l <= base.depth(); l++) {
            if (!free[l] && other.width(l) != base.width(l)) {
                return false;
            }
        }
        return true;
    }

    /**
     * @return the architecture the graph was built from; only its fixed widths bind a pass
     */
    public BaseModelConfig base() {
        return base;
    }

    /** @return e.g. {@code 196-?-?-32} */
    public String describe() {
        StringBuilder s = new StringBuilder();
        for (int l = 0; l <= base.depth(); l++) {
            s.append(l == 0 ? "" : "-").append(free[l] ? "?" : Integer.toString(base.width(l)));
        }
        return s.toString();
    }

    /**
     * The placeholder values a pass on {@code actual} needs, one set per free layer.
     *
     * @param actual the architecture of the pass ({@link #accepts})
     * @param batch unlabelled examples per inner step
     * @param gradChannels g of the rule
     * @param dtype graph type
     * @return values by placeholder name (empty when nothing is free)
     */
    public Map<String, INDArray> inputs(BaseModelConfig actual, int batch, int gradChannels, DataType dtype) {
        if (!accepts(actual)) {
            throw new IllegalArgumentException("a graph for " + describe() + " cannot run " + actual.describe());
        }
        Map<String, INDArray> m = new LinkedHashMap<>();
        for (int l = 0; l <= base.depth(); l++) {
            if (!free[l]) {
                continue;
            }
            int n = actual.width(l);
            m.put(unitCodeName(l), unitCode(n, batch, dtype));
            m.put(symmetricMaskName(l), symmetricMask(n, dtype));
            for (Factor f : Factor.values()) {
                m.put(factorName(l, f), Nd4j.scalar(DataType.DOUBLE, f.value(n, batch, gradChannels))
                        .castTo(dtype).reshape(1, 1));
            }
        }
        return m;
    }

    // ---- graph side: what the rule graphs call while they are emitted ----

    /**
     * sin and cos of u = linspace(0, 4π, n) (both ends included), [n, B, 2]: a constant for a fixed
     * layer, a placeholder for a free one.
     */
    SDVariable unitCode(SameDiff sd, int l, int batch, DataType dtype) {
        if (free[l]) {
            return placeholder(sd, unitCodeName(l), dtype, -1, batch, 2);
        }
        int n = base.width(l);
        String name = "unit_code_" + n + "x" + batch;
        return sd.hasVariable(name) ? sd.getVariable(name) : sd.constant(name, unitCode(n, batch, dtype));
    }

    /**
     * "symm" U ⊙ (1 − I) / √(2n): for a fixed layer the stock mask constant and a scalar multiply,
     * as before; for a free layer one multiply by a placeholder holding the scaled mask (the same
     * products: the mask entries are 0 and 1).
     */
    SDVariable symmetricMask(SameDiff sd, SDVariable symm, int l, DataType dtype) {
        if (free[l]) {
            return symm.mul(placeholder(sd, symmetricMaskName(l), dtype, -1, -1));
        }
        int n = base.width(l);
        String name = "off_diagonal_" + n;
        SDVariable mask = sd.hasVariable(name) ? sd.getVariable(name)
                : sd.constant(name, Nd4j.ones(dtype, n, n).subi(Nd4j.eye(n).castTo(dtype)));
        return symm.mul(mask).mul(1.0 / Math.sqrt(2.0 * n));
    }

    /** x times a width-dependent factor of layer l: a scalar op when fixed, a [1, 1] placeholder when free. */
    SDVariable scaled(SameDiff sd, SDVariable x, int l, Factor f, int batch, int g, DataType dtype) {
        if (free[l]) {
            return GraphOps.scale(x, placeholder(sd, factorName(l, f), dtype, 1, 1), 0, 1);
        }
        return x.mul(f.value(base.width(l), batch, g));
    }

    private static SDVariable placeholder(SameDiff sd, String name, DataType dtype, long... shape) {
        return sd.hasVariable(name) ? sd.getVariable(name) : sd.placeHolder(name, dtype, shape);
    }

    private static String unitCodeName(int l) {
        return PREFIX + l + "/unit_code";
    }

    private static String symmetricMaskName(int l) {
        return PREFIX + l + "/symm_mask";
    }

    private static String factorName(int l, Factor f) {
        return PREFIX + l + "/" + f.key;
    }

    private static INDArray unitCode(int units, int batch, DataType dtype) {
        INDArray c = Nd4j.create(DataType.DOUBLE, units, batch, 2);
        for (int i = 0; i < units; i++) {
            double u = units == 1 ? 0.0 : 4.0 * Math.PI * i / (units - 1);
            for (int b = 0; b < batch; b++) {
                c.putScalar(new long[] {i, b, 0}, Math.sin(u));
                c.putScalar(new long[] {i, b, 1}, Math.cos(u));
            }
        }
        return c.castTo(dtype);
    }

    private static INDArray symmetricMask(int n, DataType dtype) {
        double c = 1.0 / Math.sqrt(2.0 * n);
        return Nd4j.ones(DataType.DOUBLE, n, n).subi(Nd4j.eye(n)).muli(c).castTo(dtype);
    }

    /**
     * Equal when they describe the same graphs: same depth, activation, free layers and fixed
     * widths (the free widths of the base they were made from do not matter).
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof LayerWidths w && Arrays.equals(w.free, free) && w.accepts(base) && accepts(w.base);
    }

    @Override
    public int hashCode() {
        int h = 31 * base.activation().hashCode() + Arrays.hashCode(free);
        for (int l = 0; l <= base.depth(); l++) {
            h = 31 * h + (free[l] ? -1 : base.width(l));
        }
        return h;
    }
}
