package org.metaunsup.basemodel;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * Base params φ as graph values: forward weights W, backward weights V and biases b of layers
 * 1..L (list index l−1 holds layer l). W^l and V^l are [n_{l−1}, n_l], b^l is [n_l].
 *
 * @param w forward weights
 * @param v backward weights (only carry error signals down)
 * @param b biases
 */
public record PhiVars(List<SDVariable> w, List<SDVariable> v, List<SDVariable> b) {

    public PhiVars {
        if (w.size() != v.size() || w.size() != b.size()) {
            throw new IllegalArgumentException("W, V and b need one entry per layer");
        }
        w = List.copyOf(w);
        v = List.copyOf(v);
        b = List.copyOf(b);
    }

    /** @return number of layers L */
    public int depth() {
        return w.size();
    }

    /**
     * @param l layer 1..L
     * @return W^l
     */
    public SDVariable w(int l) {
        return w.get(l - 1);
    }

    /**
     * @param l layer 1..L
     * @return V^l
     */
    public SDVariable v(int l) {
        return v.get(l - 1);
    }

    /**
     * @param l layer 1..L
     * @return b^l
     */
    public SDVariable b(int l) {
        return b.get(l - 1);
    }
}
