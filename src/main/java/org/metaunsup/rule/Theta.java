package org.metaunsup.rule;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Values of θ in canonical layout (DESIGN.md §10), keyed by canonical name without the
 * {@code theta/} prefix. This is the state the outer loop trains; graphs copy it in.
 */
public final class Theta {

    private final ThetaSpec spec;
    private final Map<String, INDArray> values;

    /**
     * @param spec the tensor list
     * @param values one array per tensor of the spec, canonical shapes
     */
    public Theta(ThetaSpec spec, Map<String, INDArray> values) {
        this.spec = spec;
        this.values = new LinkedHashMap<>();
        for (ThetaSpec.Tensor t : spec.tensors()) {
            INDArray v = values.get(t.name());
            if (v == null) {
                throw new IllegalArgumentException("theta tensor missing: " + t.name());
            }
            if (!java.util.Arrays.equals(v.shape(), t.shape())) {
                throw new IllegalArgumentException("theta tensor " + t.name() + " has shape "
                        + java.util.Arrays.toString(v.shape()) + ", expected " + java.util.Arrays.toString(t.shape()));
            }
            this.values.put(t.name(), v);
        }
    }

    /**
     * Initialises θ as in DESIGN.md §9 from an explicit seed.
     *
     * @param spec the tensor list
     * @param seed init seed
     * @param dtype floating type of the arrays
     * @return fresh θ
     */
    public static Theta init(ThetaSpec spec, long seed, DataType dtype) {
        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, INDArray> v = new LinkedHashMap<>();
        for (ThetaSpec.Tensor t : spec.tensors()) {
            double[] data = new double[(int) t.length()];
            switch (t.init()) {
                case TRUNCATED_NORMAL -> {
                    double std = 1.0 / Math.sqrt(t.fanIn());
                    for (int i = 0; i < data.length; i++) {
                        data[i] = std * truncatedGaussian(rng);
                    }
                }
                case POINT_ONE -> java.util.Arrays.fill(data, 0.1);
                case ZERO -> { }
            }
            v.put(t.name(), Nd4j.create(data, t.shape(), DataType.DOUBLE).castTo(dtype));
        }
        return new Theta(spec, v);
    }

    /**
     * @param rng the random stream
     * @return a standard normal draw resampled until it lies within 2 std
     */
    public static double truncatedGaussian(SplittableRandom rng) {
        while (true) {
            double g = rng.nextGaussian();
            if (Math.abs(g) <= 2.0) {
                return g;
            }
        }
    }

    /** @return the tensor list */
    public ThetaSpec spec() {
        return spec;
    }

    /**
     * @param name canonical name without prefix
     * @return the array (live, not a copy)
     */
    public INDArray get(String name) {
        INDArray v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no theta tensor " + name);
        }
        return v;
    }

    /** @return all arrays by canonical name, in spec order (live) */
    public Map<String, INDArray> values() {
        return java.util.Collections.unmodifiableMap(values);
    }

    /**
     * @param dtype target type
     * @return a deep copy in that type
     */
    public Theta copy(DataType dtype) {
        Map<String, INDArray> v = new LinkedHashMap<>();
        values.forEach((k, a) -> v.put(k, a.castTo(dtype).dup()));
        return new Theta(spec, v);
    }
}
