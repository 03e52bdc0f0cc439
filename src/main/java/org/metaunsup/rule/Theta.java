package org.metaunsup.rule;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.metaunsup.config.ThetaInit;
import org.metaunsup.util.TruncatedNormal;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Values of θ, the state the outer loop trains: one flat rank-1 buffer in the canonical order
 * of its {@link ThetaSpec} (tensors in spec order, each row-major in its canonical layout of
 * docs/METHOD.md#canonical-names), with each named tensor a live view into it. The outer optimiser works on
 * {@link #flat()}; checkpoints and Spark ship {@link #toBytes()}; graphs copy the views in
 * ({@code UnrollGraph.loadTheta}). Not thread-safe.
 */
public final class Theta {

    private static final String KIND = "THTA";

    private final ThetaSpec spec;
    private final INDArray flat;
    private final Map<String, INDArray> views;

    private Theta(ThetaSpec spec, INDArray flat) {
        this.spec = spec;
        this.flat = flat;
        this.views = FlatTensors.views(spec, flat);
    }

    /**
     * Copies separate tensors into a new flat buffer, in the type of the first value.
     *
     * @param spec the tensor list
     * @param values one array per tensor of the spec, canonical names and shapes
     */
    public Theta(ThetaSpec spec, Map<String, INDArray> values) {
        this(spec, FlatTensors.flatten(spec, values, firstType(spec, values), "theta"));
    }

    private static DataType firstType(ThetaSpec spec, Map<String, INDArray> values) {
        INDArray first = values.get(spec.tensors().get(0).name());
        return first == null ? DataType.DOUBLE : first.dataType();
    }

    /**
     * @param spec the tensor list
     * @param flat a rank-1 buffer of {@code spec.size()} entries (kept, not copied)
     * @return θ over that buffer
     */
    public static Theta wrap(ThetaSpec spec, INDArray flat) {
        return new Theta(spec, flat);
    }

    /**
     * Initialises θ as in docs/METHOD.md#theta-init from an explicit seed.
     *
     * @param spec the tensor list
     * @param seed init seed
     * @param dtype floating type of the arrays
     * @return fresh θ
     */
    public static Theta init(ThetaSpec spec, long seed, DataType dtype) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] data = new double[(int) spec.size()];
        for (ThetaSpec.Tensor t : spec.tensors()) {
            int off = (int) spec.offset(t.name());
            int n = (int) t.length();
            switch (t.init()) {
                case TRUNCATED_NORMAL -> {
                    double std = 1.0 / Math.sqrt(t.fanIn());
                    for (int i = 0; i < n; i++) {
                        data[off + i] = std * TruncatedNormal.draw(rng);
                    }
                }
                case POINT_ONE -> Arrays.fill(data, off, off + n, 0.1);
                case ZERO -> { }
            }
        }
        return new Theta(spec, Nd4j.createFromArray(data).castTo(dtype));
    }

    /**
     * θ at the start of meta-training as config key {@code outer.init} says: the
     * meta-initialisation ({@link #init}) or, from the same draw, the hand-designed learner
     * ({@link HebbianTheta}, docs/METHOD.md#hand-init).
     *
     * @param spec the tensor list
     * @param how which start
     * @param seed init seed (stream {@code theta-init} of the run)
     * @param dtype floating type of the arrays
     * @return fresh θ
     */
    public static Theta initial(ThetaSpec spec, ThetaInit how, long seed, DataType dtype) {
        return switch (how) {
            case META -> init(spec, seed, dtype);
            case HEBBIAN -> HebbianTheta.init(spec, seed, dtype);
        };
    }

    /** @return the tensor list */
    public ThetaSpec spec() {
        return spec;
    }

    /** @return the live flat buffer, canonical order */
    public INDArray flat() {
        return flat;
    }

    /** @return the array type of the buffer */
    public DataType dataType() {
        return flat.dataType();
    }

    /**
     * @param name canonical name without prefix
     * @return the tensor, a live view of the flat buffer
     */
    public INDArray get(String name) {
        INDArray v = views.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no theta tensor " + name);
        }
        return v;
    }

    /** @return all tensors by canonical name, in spec order (live views) */
    public Map<String, INDArray> values() {
        return views;
    }

    /**
     * θ ← θ + scale · delta, in place.
     *
     * @param delta a gradient or step of the same spec
     * @param scale its factor (e.g. −lr)
     * @return this
     * @throws IllegalArgumentException when delta belongs to another spec
     */
    public Theta addi(ThetaGradient delta, double scale) {
        spec.requireSame(delta.spec(), "the gradient");
        INDArray d = delta.flat().dataType() == flat.dataType() ? delta.flat() : delta.flat().castTo(flat.dataType());
        flat.addi(d.mul(scale));
        return this;
    }

    /** @return true when every entry is finite */
    public boolean isFinite() {
        return !flat.isNaN().any() && !flat.isInfinite().any();
    }

    /**
     * @param dtype target type
     * @return a deep copy in that type
     */
    public Theta copy(DataType dtype) {
        return new Theta(spec, flat.castTo(dtype).dup());
    }

    /** @return every entry as float64, canonical order */
    public double[] toDoubles() {
        return FlatTensors.toDoubles(flat);
    }

    /**
     * @param spec the tensor list
     * @param values {@code spec.size()} entries, canonical order
     * @param dtype array type of the buffer
     * @return θ
     */
    public static Theta fromDoubles(ThetaSpec spec, double[] values, DataType dtype) {
        return new Theta(spec, FlatTensors.fromDoubles(spec, values, dtype));
    }

    /** @return self-describing bytes (kind, spec fingerprint, type, entries) for checkpoints and shipping */
    public byte[] toBytes() {
        return FlatTensors.encode(KIND, spec, flat);
    }

    /**
     * @param spec the spec the bytes must have been written for
     * @param bytes from {@link #toBytes()}
     * @return θ, in the type it was written in
     * @throws org.metaunsup.BadInputException when the bytes are damaged or of another spec
     */
    public static Theta fromBytes(ThetaSpec spec, byte[] bytes) {
        return new Theta(spec, FlatTensors.decode(KIND, spec, bytes));
    }
}
