package org.metaunsup.train.estimator;

/**
 * What k inner steps of one (possibly perturbed) θ yield.
 *
 * @param after the inner state after the steps
 * @param stepLoss meta-loss after each step
 * @param stepAccuracy query accuracy after each step (NaN where the problem has none)
 * @param <S> inner state type
 */
public record Segment<S>(S after, double[] stepLoss, double[] stepAccuracy) {

    /** @return the mean of the step losses: the quantity every estimator estimates the gradient of */
    public double meanLoss() {
        double s = 0;
        for (double l : stepLoss) {
            s += l;
        }
        return s / stepLoss.length;
    }
}
