package org.metaunsup.train.estimator;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The arithmetic of the forward estimators of the meta-gradient, on any {@link Unroll}. With P
 * antithetic pairs, perturbations ε_p = σ·z_p (z_p standard normal, one per pair and truncation)
 * and L^±_p the mean meta-loss of the truncation's k steps under θ ± ε_p:
 * <pre>
 *   ES  (every truncation starts both sides from the task's one state s):
 *       ĝ = (1/P) Σ_p ε_p (L⁺_p − L⁻_p) / (2σ²)
 *       the task continues from pair 0's positive state (as learned_optimization's TruncatedES).
 *   PES (Vicol, Metz, Sohl-Dickstein 2021; each pair keeps its own states s⁺_p, s⁻_p and ξ_p):
 *       ξ_p ← ξ_p + ε_p;   ĝ = (1/P) Σ_p ξ_p (L⁺_p − L⁻_p) / (2σ²)
 *       s⁺_p, s⁻_p ← the states after the truncation; ξ_p is reset to 0 when the task is.
 * </pre>
 * ES estimates the gradient of the Gaussian-smoothed truncation loss with the state at its start
 * held fixed (the bias of truncation, as backprop through k steps has); PES estimates the gradient
 * of the smoothed loss through every step since the task started, without that bias, at the cost
 * of a variance that grows with the number of truncations ξ spans. The normalisation (losses as
 * the mean over the truncation's steps, 1/(2σ²) on perturbations of standard deviation σ) is that
 * of learned_optimization's {@code truncated_pes.compute_pes_grad}; it makes ĝ an estimate of the
 * gradient of the mean step loss, the quantity the backprop estimator returns (Σ/k).
 *
 * <p>Pure arithmetic, no randomness of its own: the perturbations are passed in
 * ({@link #perturbations}).
 */
public final class Antithetic {

    private Antithetic() {}

    /**
     * One estimate and what the task carries into its next truncation.
     *
     * @param gradient ĝ, flat in θ's order
     * @param stepLoss meta-loss after each step, mean over both sides of every pair
     * @param stepAccuracy query accuracy after each step, mean over both sides of every pair
     * @param carried the state the task continues from (ES: pair 0's positive state; PES: pair 0's
     *     positive state, for reference)
     * @param particles PES: every pair after the truncation; ES: empty
     * @param innerSteps inner steps run (2·P·k)
     * @param <S> inner state type
     */
    public record Estimate<S>(double[] gradient, double[] stepLoss, double[] stepAccuracy, S carried,
                              List<Particle<S>> particles, long innerSteps) {}

    /**
     * Antithetic ES of one truncation from one state.
     *
     * @param unroll the inner problem
     * @param start the task's state at the truncation's start
     * @param theta θ, flat float64
     * @param sigma σ
     * @param eps P perturbations ε_p (standard deviation σ), each of θ's size
     * @param k inner steps
     * @param <S> inner state type
     * @return the estimate
     */
    public static <S> Estimate<S> es(Unroll<S> unroll, S start, double[] theta, double sigma, double[][] eps, int k) {
        List<Particle<S>> from = new ArrayList<>();
        for (int p = 0; p < eps.length; p++) {
            from.add(new Particle<>(start, start, new double[theta.length]));
        }
        Estimate<S> e = pes(unroll, from, theta, sigma, eps, k);
        return new Estimate<>(e.gradient(), e.stepLoss(), e.stepAccuracy(), e.carried(), List.of(), e.innerSteps());
    }

    /**
     * PES of one truncation: every pair continues from its own states and adds this truncation's
     * perturbation to its ξ. With every ξ zero and both states equal (a task's first truncation)
     * this is ES.
     *
     * @param unroll the inner problem
     * @param particles the task's pairs before the truncation (one per perturbation)
     * @param theta θ, flat float64
     * @param sigma σ
     * @param eps P perturbations ε_p (standard deviation σ), each of θ's size
     * @param k inner steps
     * @param <S> inner state type
     * @return the estimate and the pairs after the truncation
     */
    public static <S> Estimate<S> pes(Unroll<S> unroll, List<Particle<S>> particles, double[] theta, double sigma,
                                      double[][] eps, int k) {
        if (particles.size() != eps.length || eps.length == 0) {
            throw new IllegalArgumentException(particles.size() + " pairs, " + eps.length + " perturbations");
        }
        int n = theta.length;
        int pairs = eps.length;
        double[] g = new double[n];
        double[] loss = new double[k];
        double[] acc = new double[k];
        List<Particle<S>> next = new ArrayList<>();
        double[] plus = new double[n];
        double[] minus = new double[n];
        for (int p = 0; p < pairs; p++) {
            double[] e = eps[p];
            for (int i = 0; i < n; i++) {
                plus[i] = theta[i] + e[i];
                minus[i] = theta[i] - e[i];
            }
            Particle<S> from = particles.get(p);
            Segment<S> sp = unroll.run(from.plus(), plus, k);
            Segment<S> sm = unroll.run(from.minus(), minus, k);
            double[] xi = from.xi().clone();
            double scale = (sp.meanLoss() - sm.meanLoss()) / (2 * sigma * sigma * pairs);
            for (int i = 0; i < n; i++) {
                xi[i] += e[i];
                g[i] += scale * xi[i];
            }
            for (int t = 0; t < k; t++) {
                loss[t] += (sp.stepLoss()[t] + sm.stepLoss()[t]) / (2.0 * pairs);
                acc[t] += (sp.stepAccuracy()[t] + sm.stepAccuracy()[t]) / (2.0 * pairs);
            }
            next.add(new Particle<>(sp.after(), sm.after(), xi));
        }
        return new Estimate<>(g, loss, acc, next.get(0).plus(), next, 2L * pairs * k);
    }

    /**
     * @param rng one pair's stream (a pure function of run seed, slot, truncation and pair)
     * @param dim θ's size
     * @param sigma σ
     * @return ε = σ·z, z standard normal
     */
    public static double[] perturbation(SplittableRandom rng, int dim, double sigma) {
        double[] e = new double[dim];
        for (int i = 0; i < dim; i++) {
            e[i] = sigma * rng.nextGaussian();
        }
        return e;
    }

    /**
     * @param streams one generator per pair
     * @param dim θ's size
     * @param sigma σ
     * @return one perturbation per pair
     */
    public static double[][] perturbations(List<SplittableRandom> streams, int dim, double sigma) {
        double[][] e = new double[streams.size()][];
        for (int p = 0; p < e.length; p++) {
            e[p] = perturbation(streams.get(p), dim, sigma);
        }
        return e;
    }
}
