package org.metaunsup.util;

import java.util.SplittableRandom;

/**
 * The one truncated normal of the project: a standard normal draw resampled until it lies within
 * two standard deviations. θ, φ and the supervised baseline's head all start from it, so it
 * lives below every package that draws initial values instead of in one of them.
 */
public final class TruncatedNormal {

    /** Draws beyond this many standard deviations are resampled. */
    public static final double BOUND = 2.0;

    private TruncatedNormal() {}

    /**
     * @param rng the random stream
     * @return a standard normal draw within ±{@link #BOUND}
     */
    public static double draw(SplittableRandom rng) {
        while (true) {
            double g = rng.nextGaussian();
            if (Math.abs(g) <= BOUND) {
                return g;
            }
        }
    }
}
