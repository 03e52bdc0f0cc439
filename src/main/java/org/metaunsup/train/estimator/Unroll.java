package org.metaunsup.train.estimator;

/**
 * An inner problem as the forward estimators see it: from a state, with given meta-parameters,
 * run k inner steps and report the meta-loss after each. The learned rule's inner loop
 * ({@link RuleUnroll}) and the toy problems of the tests both implement it, so the estimators'
 * arithmetic ({@link Antithetic}) is the same code for both.
 *
 * @param <S> the inner state (the base params φ for the rule); never modified by {@link #run}
 */
public interface Unroll<S> {

    /**
     * @param from state before the steps
     * @param theta meta-parameters, flat float64 (a perturbed θ)
     * @param k inner steps
     * @return the state after k steps and the meta-loss after each step
     */
    Segment<S> run(S from, double[] theta, int k);
}
