package org.metaunsup.basemodel;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.util.TruncatedNormal;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Values of the base params φ between truncations: W^l, V^l [n_{l−1}, n_l] and b^l [n_l] for
 * l = 1..L (list index l−1). The same values serve the core (truncations, the rule step) and
 * the loading API ({@code export.LearnedRule}, {@code export.BaseModel}); there the input order
 * is the user's (the rule is applied with the identity permutation).
 *
 * @param w forward weights
 * @param v backward weights
 * @param b biases
 */
public record PhiState(List<INDArray> w, List<INDArray> v, List<INDArray> b) {

    /** Copies the lists (not the arrays) and checks that every layer has all three tensors. */
    public PhiState {
        w = List.copyOf(w);
        v = List.copyOf(v);
        b = List.copyOf(b);
        if (w.size() != v.size() || w.size() != b.size() || w.isEmpty()) {
            throw new IllegalArgumentException("base params need W, V and b for every layer");
        }
    }

    /**
     * Fresh base params (docs/METHOD.md#base-model): W and V ~ truncated normal(0, 0.01), b ~ truncated
     * normal(0, 0.1), truncated at 2 std.
     *
     * @param base shape
     * @param seed init seed
     * @param dtype array type
     * @return φ₀
     */
    public static PhiState init(BaseModelConfig base, long seed, DataType dtype) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<INDArray> w = new ArrayList<>();
        List<INDArray> v = new ArrayList<>();
        List<INDArray> b = new ArrayList<>();
        for (int l = 1; l <= base.depth(); l++) {
            w.add(normal(rng, 0.01, dtype, base.width(l - 1), base.width(l)));
            v.add(normal(rng, 0.01, dtype, base.width(l - 1), base.width(l)));
            b.add(normal(rng, 0.1, dtype, base.width(l)));
        }
        return new PhiState(w, v, b);
    }

    private static INDArray normal(SplittableRandom rng, double std, DataType dtype, long... shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        double[] d = new double[(int) n];
        for (int i = 0; i < d.length; i++) {
            d[i] = std * TruncatedNormal.draw(rng);
        }
        return Nd4j.create(d, shape, DataType.DOUBLE).castTo(dtype);
    }

    /** @return number of layers L */
    public int depth() {
        return w.size();
    }

    /** @return true when every entry is finite */
    public boolean isFinite() {
        for (List<INDArray> list : List.of(w, v, b)) {
            for (INDArray a : list) {
                if (a.isNaN().any() || a.isInfinite().any()) {
                    return false;
                }
            }
        }
        return true;
    }
}
