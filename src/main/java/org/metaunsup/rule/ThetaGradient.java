package org.metaunsup.rule;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A meta-gradient ∂L/∂θ (or any other θ-shaped outer quantity: an Adam moment, a step) in the
 * flat layout of its {@link ThetaSpec}: one rank-1 buffer, tensors in canonical order, with
 * named views. The outer optimiser works on {@link #flat()}; {@link Theta#addi} refuses a
 * gradient of another spec. Not thread-safe; the buffer is live.
 */
public final class ThetaGradient {

    private static final String KIND = "GRAD";

    private final ThetaSpec spec;
    private final INDArray flat;
    private final Map<String, INDArray> views;

    private ThetaGradient(ThetaSpec spec, INDArray flat) {
        this.spec = spec;
        this.flat = flat;
        this.views = FlatTensors.views(spec, flat);
    }

    /**
     * @param spec the layout
     * @param flat a rank-1 buffer of {@code spec.size()} entries (kept, not copied)
     * @return the gradient over that buffer
     */
    public static ThetaGradient wrap(ThetaSpec spec, INDArray flat) {
        return new ThetaGradient(spec, flat);
    }

    /**
     * @param spec the layout
     * @param byName one array per θ tensor, canonical names and shapes (copied)
     * @param dtype array type of the buffer
     * @return the gradient
     */
    public static ThetaGradient of(ThetaSpec spec, Map<String, INDArray> byName, DataType dtype) {
        return new ThetaGradient(spec, FlatTensors.flatten(spec, byName, dtype, "gradient"));
    }

    /**
     * @param spec the layout
     * @param dtype array type
     * @return an all-zero gradient
     */
    public static ThetaGradient zeros(ThetaSpec spec, DataType dtype) {
        return new ThetaGradient(spec, Nd4j.zeros(dtype, spec.size()));
    }

    /**
     * @param gradients at least one gradient, all of one spec
     * @return their entry-wise mean, in the type of the first
     */
    public static ThetaGradient mean(List<ThetaGradient> gradients) {
        if (gradients.isEmpty()) {
            throw new IllegalArgumentException("the mean of no gradients");
        }
        ThetaGradient first = gradients.get(0);
        INDArray sum = first.flat.dup();
        for (ThetaGradient g : gradients.subList(1, gradients.size())) {
            first.spec.requireSame(g.spec, "a gradient of the batch");
            sum.addi(g.flat.dataType() == sum.dataType() ? g.flat : g.flat.castTo(sum.dataType()));
        }
        return new ThetaGradient(first.spec, sum.divi(gradients.size()));
    }

    /** @return the spec the gradient is laid out by */
    public ThetaSpec spec() {
        return spec;
    }

    /** @return the live flat buffer, canonical order */
    public INDArray flat() {
        return flat;
    }

    /**
     * @param name canonical θ name without prefix
     * @return that tensor's gradient, a live view of the flat buffer
     */
    public INDArray get(String name) {
        INDArray v = views.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no theta tensor " + name);
        }
        return v;
    }

    /** @return every tensor's gradient by canonical name, in spec order (live views) */
    public Map<String, INDArray> values() {
        return views;
    }

    /**
     * @param factor multiplier
     * @return a new gradient {@code factor · this}
     */
    public ThetaGradient scaled(double factor) {
        return new ThetaGradient(spec, flat.mul(factor));
    }

    /** @return true when every entry is finite */
    public boolean isFinite() {
        return !flat.isNaN().any() && !flat.isInfinite().any();
    }

    /** @return the global L2 norm over all θ tensors */
    public double globalNorm() {
        return flat.norm2Number().doubleValue();
    }

    /** @return a deep copy */
    public ThetaGradient copy() {
        return new ThetaGradient(spec, flat.dup());
    }

    /** @return every entry as float64, canonical order */
    public double[] toDoubles() {
        return FlatTensors.toDoubles(flat);
    }

    /**
     * @param spec the layout
     * @param values {@code spec.size()} entries, canonical order
     * @param dtype array type of the buffer
     * @return the gradient
     */
    public static ThetaGradient fromDoubles(ThetaSpec spec, double[] values, DataType dtype) {
        return new ThetaGradient(spec, FlatTensors.fromDoubles(spec, values, dtype));
    }

    /** @return self-describing bytes (kind, spec fingerprint, type, entries) for shipping */
    public byte[] toBytes() {
        return FlatTensors.encode(KIND, spec, flat);
    }

    /**
     * @param spec the spec the bytes must have been written for
     * @param bytes from {@link #toBytes()}
     * @return the gradient, in the type it was written in
     * @throws org.metaunsup.BadInputException when the bytes are damaged or of another spec
     */
    public static ThetaGradient fromBytes(ThetaSpec spec, byte[] bytes) {
        return new ThetaGradient(spec, FlatTensors.decode(KIND, spec, bytes));
    }
}
