package org.metaunsup.train.estimator;

/**
 * One antithetic pair of a PES task: the inner state unrolled so far with θ + ε_j and with θ − ε_j
 * (a new ε_j per truncation j), and the sum ξ = Σ_j ε_j of the perturbations it has seen since the
 * task started (ε_j of standard deviation σ, so ξ is in θ's units).
 *
 * @param plus state under the positive perturbations
 * @param minus state under the negative perturbations
 * @param xi accumulated perturbation ξ (flat, θ's canonical order)
 * @param <S> inner state type
 */
public record Particle<S>(S plus, S minus, double[] xi) {

    /**
     * @param start the task's initial state (both sides start there)
     * @param dim θ's size
     * @param <S> inner state type
     * @return a pair that has seen no perturbation yet (ξ = 0)
     */
    public static <S> Particle<S> fresh(S start, int dim) {
        return new Particle<>(start, start, new double[dim]);
    }
}
