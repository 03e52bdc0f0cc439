package org.metaunsup.unroll;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The per-task input permutation as a one-hot matrix P, so that x[:, perm] = x · P is a plain
 * matrix product inside the graph (the stock gather has a wrong gradient,
 * docs/METHOD.md#dev-permutation-product).
 */
public final class Permutation {

    private Permutation() {}

    /**
     * @param perm permutation of 0..D−1; output column j takes input column perm[j]
     * @param dtype array type
     * @return P [D, D] with P[perm[j], j] = 1
     */
    public static INDArray matrix(int[] perm, DataType dtype) {
        int n = perm.length;
        boolean[] seen = new boolean[n];
        INDArray p = Nd4j.zeros(dtype, n, n);
        for (int j = 0; j < n; j++) {
            if (perm[j] < 0 || perm[j] >= n || seen[perm[j]]) {
                throw new IllegalArgumentException("not a permutation of 0.." + (n - 1));
            }
            seen[perm[j]] = true;
            p.putScalar(perm[j], j, 1.0);
        }
        return p;
    }

    /**
     * @param n size
     * @param rng seeded stream
     * @return a uniformly random permutation of 0..n−1 (Fisher–Yates)
     */
    public static int[] random(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
