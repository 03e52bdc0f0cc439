package org.metaunsup.config;

/**
 * The outer optimiser (docs/METHOD.md#outer-optimiser): Adam on θ with global-norm clipping of the
 * meta-gradient, a batch of meta-gradients per outer step, how often meta-training writes a
 * checkpoint and runs its held-out evaluation, how a meta-gradient is estimated
 * (docs/TRAINING.md#estimators) and where θ starts.
 *
 * @param lr Adam learning rate
 * @param beta1 Adam decay of the first moment
 * @param beta2 Adam decay of the second moment
 * @param eps Adam's ε added to the root of the second moment
 * @param clipNorm global L2 norm the meta-gradient is clipped to
 * @param batch meta-gradients per outer step (B)
 * @param checkpointEvery outer steps between checkpoints
 * @param evalEvery outer steps between held-out evaluations
 * @param estimator backprop, es or pes
 * @param sigma standard deviation σ of the forward estimators' perturbations of θ
 * @param pairs antithetic pairs per task and truncation (forward estimators)
 * @param forwardTruncation truncation length k of the forward estimators (log-uniform)
 * @param init where θ starts ({@code outer.init}): the meta-initialisation or the hand-designed
 *     learner
 */
public record OuterConfig(double lr, double beta1, double beta2, double eps, double clipNorm, int batch,
                          int checkpointEvery, int evalEvery, Estimator estimator, double sigma, int pairs,
                          IntRange forwardTruncation, ThetaInit init) {

    /**
     * The outer optimiser with the backprop estimator (σ, pairs and forward truncation at their
     * defaults, unused), starting from the meta-initialisation.
     */
    public OuterConfig(double lr, double beta1, double beta2, double eps, double clipNorm, int batch,
                       int checkpointEvery, int evalEvery) {
        this(lr, beta1, beta2, eps, clipNorm, batch, checkpointEvery, evalEvery, Estimator.BACKPROP, 0.01, 1,
                new IntRange(20, 50), ThetaInit.META);
    }
}
