package org.metaunsup.export;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Values of a base model's parameters φ: forward weights W^l and backward weights V^l
 * [n_{l−1}, n_l] and biases b^l [n_l], l = 1..L at list index l−1 (DESIGN.md §1). The input
 * order is the user's (the rule is applied with the identity permutation).
 *
 * @param w forward weights
 * @param v backward weights (used only by the rule to send error signals down)
 * @param b biases
 */
public record BaseParams(List<INDArray> w, List<INDArray> v, List<INDArray> b) {

    /** Copies the lists (not the arrays) and checks that every layer has all three tensors. */
    public BaseParams {
        w = List.copyOf(w);
        v = List.copyOf(v);
        b = List.copyOf(b);
        if (w.size() != v.size() || w.size() != b.size() || w.isEmpty()) {
            throw new IllegalArgumentException("base params need W, V and b for every layer");
        }
    }

    /** @return number of weight layers L */
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
