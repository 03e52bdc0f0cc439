package org.metaunsup.testing;

/**
 * The hand-designed learner of docs/METHOD.md#hand-init written out in plain Java double
 * arithmetic, independently of the SameDiff rule graph: one step of the normalised
 * Hebbian/decorrelation (Oja-subspace-like) rule on a ReLU base model with batch-statistics batch
 * norm. Matrices are {@code double[rows][cols]}; W is [n_in][n_out], a batch is [B][n].
 * It is the reference the rule graph is compared with under {@code rule.HebbianTheta}, and a fast
 * stand-in for that graph when searching the learner's two constants (only on the validation
 * scripts).
 */
public final class HebbianReference {

    /** Base model batch-norm ε (docs/METHOD.md#base-model). */
    private static final double BN_EPS = 1e-6;

    private final double hebbian;
    private final double decorrelation;
    private final double eta;

    /**
     * @param hebbian β, mix weight of term 4
     * @param decorrelation α, mix weight of term 3
     * @param eta inner step size η
     */
    public HebbianReference(double hebbian, double decorrelation, double eta) {
        this.hebbian = hebbian;
        this.decorrelation = decorrelation;
        this.eta = eta;
    }

    /**
     * Base params in plain arrays, list index l−1 for layer l.
     *
     * @param w forward weights
     * @param v backward weights
     * @param b biases
     */
    public record Phi(double[][][] w, double[][][] v, double[][] b) {}

    /**
     * The forward pass z = BN(x W) + b, x = relu(z).
     *
     * @param phi base params
     * @param x0 input batch, already permuted
     * @return x^0 … x^L
     */
    public static double[][][] forward(Phi phi, double[][] x0) {
        int depth = phi.w().length;
        double[][][] xs = new double[depth + 1][][];
        xs[0] = x0;
        for (int l = 1; l <= depth; l++) {
            double[][] a = mmul(xs[l - 1], phi.w()[l - 1]);
            int n = a[0].length;
            int batch = a.length;
            double[][] x = new double[batch][n];
            for (int j = 0; j < n; j++) {
                double mean = 0;
                for (double[] row : a) {
                    mean += row[j];
                }
                mean /= batch;
                double var = 0;
                for (double[] row : a) {
                    var += (row[j] - mean) * (row[j] - mean);
                }
                var /= batch;
                double s = 1 / Math.sqrt(var + BN_EPS);
                for (int i = 0; i < batch; i++) {
                    x[i][j] = Math.max(0, (a[i][j] - mean) * s + phi.b()[l - 1][j]);
                }
            }
            xs[l] = x;
        }
        return xs;
    }

    /**
     * One inner step with V receiving W's change ({@code rule.v_shares_w = true}).
     *
     * @param phi base params before
     * @param x0 input batch, already permuted
     * @return base params after
     */
    public Phi step(Phi phi, double[][] x0) {
        return step(phi, x0, true);
    }

    /**
     * One inner step: every layer's W gets the direction of equation H computed from W, V the same
     * change or (own V) equation H computed from V; b decays by (1 − η).
     *
     * @param phi base params before
     * @param x0 input batch, already permuted
     * @param vSharesW whether V receives W's change
     * @return base params after
     */
    public Phi step(Phi phi, double[][] x0, boolean vSharesW) {
        double[][][] xs = forward(phi, x0);
        int depth = phi.w().length;
        double[][][] w = new double[depth][][];
        double[][][] v = new double[depth][][];
        double[][] b = new double[depth][];
        for (int l = 1; l <= depth; l++) {
            double[][] g = direction(phi.w()[l - 1], xs[l - 1], xs[l]);
            w[l - 1] = apply(phi.w()[l - 1], g);
            v[l - 1] = apply(phi.v()[l - 1], vSharesW ? g : direction(phi.v()[l - 1], xs[l - 1], xs[l]));
            double[] bl = phi.b()[l - 1].clone();
            for (int j = 0; j < bl.length; j++) {
                bl[j] *= 1 - eta;
            }
            b[l - 1] = bl;
        }
        return new Phi(w, v, b);
    }

    /**
     * Equation H of docs/METHOD.md#hand-init: the direction g for W [n_in][n_out] from the lower
     * and upper post-activations.
     *
     * @param wt W
     * @param lower x^{l−1} [B][n_in]
     * @param upper x^l [B][n_out]
     * @return g
     */
    public double[][] direction(double[][] wt, double[][] lower, double[][] upper) {
        int nIn = wt.length;
        int nOut = wt[0].length;
        int batch = lower.length;
        double[][] wHat = new double[nIn][nOut];
        for (int j = 0; j < nOut; j++) {
            double ms = 0;
            for (int i = 0; i < nIn; i++) {
                ms += wt[i][j] * wt[i][j];
            }
            double s = 1 / Math.sqrt(ms / nIn + 1e-6);
            for (int i = 0; i < nIn; i++) {
                wHat[i][j] = wt[i][j] * s;
            }
        }
        double[][] xHat = standardise(lower);
        double[][] yHat = standardise(upper);
        // H = x̂ᵀŷ / B (the Hebbian correlation), C = ŷᵀŷ / (B √n_out), D = ŵC at unit RMS.
        double[][] h = scale(mmulTransposeA(xHat, yHat), 1.0 / batch);
        double[][] c = scale(mmulTransposeA(yHat, yHat), 1.0 / (batch * Math.sqrt(nOut)));
        double[][] d = mmul(wHat, c);
        double ms = 0;
        for (double[] row : d) {
            for (double e : row) {
                ms += e * e;
            }
        }
        d = scale(d, 1 / Math.sqrt(ms / (nIn * nOut) + 1e-8));
        double[][] nd = columnNormalise(d);
        double[][] nh = columnNormalise(h);
        // m = (α N(D) + β N(−H)) / 12, N odd, so β N(−H) = −β N(H).
        double[][] m = new double[nIn][nOut];
        double ip = 0;
        for (int i = 0; i < nIn; i++) {
            for (int j = 0; j < nOut; j++) {
                m[i][j] = (decorrelation * nd[i][j] - hebbian * nh[i][j]) / 12.0;
                ip += m[i][j] * wHat[i][j];
            }
        }
        double shrink = Math.max(0, ip / (nIn * nOut));
        for (int i = 0; i < nIn; i++) {
            for (int j = 0; j < nOut; j++) {
                m[i][j] = (m[i][j] - shrink * wHat[i][j]) / Math.sqrt(12.0);
            }
        }
        double[][] g = columnNormalise(m);
        for (int i = 0; i < nIn; i++) {
            for (int j = 0; j < nOut; j++) {
                g[i][j] -= wHat[i][j] / 7.0;
            }
        }
        return g;
    }

    private double[][] apply(double[][] p, double[][] g) {
        double[][] out = new double[p.length][p[0].length];
        for (int i = 0; i < p.length; i++) {
            for (int j = 0; j < p[0].length; j++) {
                out[i][j] = (1 - eta) * p[i][j] - eta * g[i][j];
            }
        }
        return out;
    }

    /** Per unit (column): centre over the batch, divide by √(mean square + 1e-6). */
    static double[][] standardise(double[][] x) {
        int batch = x.length;
        int n = x[0].length;
        double[][] out = new double[batch][n];
        for (int j = 0; j < n; j++) {
            double mean = 0;
            for (double[] row : x) {
                mean += row[j];
            }
            mean /= batch;
            double ms = 0;
            for (double[] row : x) {
                ms += (row[j] - mean) * (row[j] - mean);
            }
            double s = 1 / Math.sqrt(ms / batch + 1e-6);
            for (int i = 0; i < batch; i++) {
                out[i][j] = (x[i][j] - mean) * s;
            }
        }
        return out;
    }

    /** N(t): every column divided by √(1 + its mean square). */
    static double[][] columnNormalise(double[][] t) {
        int rows = t.length;
        int cols = t[0].length;
        double[][] out = new double[rows][cols];
        for (int j = 0; j < cols; j++) {
            double ms = 0;
            for (double[] row : t) {
                ms += row[j] * row[j];
            }
            double s = 1 / Math.sqrt(1 + ms / rows);
            for (int i = 0; i < rows; i++) {
                out[i][j] = t[i][j] * s;
            }
        }
        return out;
    }

    static double[][] mmul(double[][] a, double[][] b) {
        int n = a.length;
        int k = b.length;
        int m = b[0].length;
        double[][] out = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < k; p++) {
                double aip = a[i][p];
                for (int j = 0; j < m; j++) {
                    out[i][j] += aip * b[p][j];
                }
            }
        }
        return out;
    }

    /** aᵀb for a [B][n], b [B][m]. */
    static double[][] mmulTransposeA(double[][] a, double[][] b) {
        int n = a[0].length;
        int m = b[0].length;
        double[][] out = new double[n][m];
        for (int r = 0; r < a.length; r++) {
            for (int i = 0; i < n; i++) {
                double ari = a[r][i];
                for (int j = 0; j < m; j++) {
                    out[i][j] += ari * b[r][j];
                }
            }
        }
        return out;
    }

    static double[][] scale(double[][] a, double s) {
        double[][] out = new double[a.length][a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                out[i][j] = a[i][j] * s;
            }
        }
        return out;
    }
}
