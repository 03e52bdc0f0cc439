package org.metaunsup.eval;

/**
 * Mean and standard error of the mean of a sample: se = s/√n with s the n−1 sample standard
 * deviation; 0 for a single value (one seed says nothing about spread, and the count is reported
 * beside it). Non-finite values propagate into the mean, so a diverged seed is visible.
 *
 * @param n sample size
 * @param mean arithmetic mean
 * @param se standard error of the mean
 */
public record MeanSe(int n, double mean, double se) {

    /**
     * @param values the sample (at least one value)
     * @return its mean and standard error
     */
    public static MeanSe of(double... values) {
        int n = values.length;
        if (n == 0) {
            throw new IllegalArgumentException("no values");
        }
        double s = 0;
        for (double v : values) {
            s += v;
        }
        double m = s / n;
        if (n == 1) {
            return new MeanSe(1, m, 0);
        }
        double ss = 0;
        for (double v : values) {
            ss += (v - m) * (v - m);
        }
        return new MeanSe(n, m, Math.sqrt(ss / (n - 1) / n));
    }
}
