package org.metaunsup.train.estimator;

import java.util.Arrays;

/**
 * An inner problem whose whole-unroll gradient is known exactly: x ∈ R^d starts at 0 and moves
 * towards θ, x_{t+1} = (1 − η)·x_t + η·θ, and the meta-loss after each step is
 * L_t = (1/d) Σ_i (x_{t,i} − c_i)². x_t is linear in θ with ∂x_t/∂θ = s_t·I, s_t = 1 − (1 − η)^t,
 * so the total derivative of a truncation's mean loss is exact in closed form; backprop through the
 * truncation alone (x at its start held fixed) sees only 1 − (1 − η)^{t − t0} of it.
 */
final class LinearToy implements Unroll<double[]> {

    final double eta;
    final double[] target;

    LinearToy(double eta, double[] target) {
        this.eta = eta;
        this.target = target;
    }

    @Override
    public Segment<double[]> run(double[] from, double[] theta, int k) {
        double[] x = from.clone();
        double[] loss = new double[k];
        double[] acc = new double[k];
        Arrays.fill(acc, Double.NaN);
        for (int t = 0; t < k; t++) {
            for (int i = 0; i < x.length; i++) {
                x[i] = (1 - eta) * x[i] + eta * theta[i];
            }
            loss[t] = loss(x);
        }
        return new Segment<>(x, loss, acc);
    }

    double loss(double[] x) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += (x[i] - target[i]) * (x[i] - target[i]);
        }
        return s / x.length;
    }

    /**
     * @param theta θ (unperturbed)
     * @param t0 inner steps before the truncation
     * @param k its length
     * @param whole true: the total derivative through every step since t = 0; false: through the
     *     truncation's own k steps only (what truncated backprop computes)
     * @return ∂(mean loss of steps t0+1 … t0+k)/∂θ
     */
    double[] gradient(double[] theta, int t0, int k, boolean whole) {
        int d = theta.length;
        double[] g = new double[d];
        double[] x = new double[d];
        for (int t = 1; t <= t0 + k; t++) {
            for (int i = 0; i < d; i++) {
                x[i] = (1 - eta) * x[i] + eta * theta[i];
            }
            if (t > t0) {
                double s = 1 - Math.pow(1 - eta, whole ? t : t - t0);
                for (int i = 0; i < d; i++) {
                    g[i] += 2 * (x[i] - target[i]) / d * s / k;
                }
            }
        }
        return g;
    }
}
