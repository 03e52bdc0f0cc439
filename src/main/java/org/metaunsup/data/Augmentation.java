package org.metaunsup.data;

/**
 * Random distortions applied by the task sampler to every image it draws (support, query
 * and unlabelled), so the shipped sets stay small. All amounts are maxima; each image
 * draws its own values uniformly in [-max, max] from the sampler's seeded stream.
 * Distances are in pixels of a 28-pixel image and scale with the actual image size.
 *
 * @param shift translation, pixels (each axis)
 * @param rotationDeg rotation, degrees
 * @param scale relative scale change (0.1 = 0.9x to 1.1x, log-uniform)
 * @param stroke stroke-width change: positive thickens (dilation), negative thins (erosion); blend fraction in [0, 1]
 * @param blur blur strength in [0, 1] (blend with a 3x3 binomial blur; drawn in [0, max])
 * @param noise standard deviation of additive Gaussian pixel noise (drawn in [0, max]); results are clamped to [0, 1]
 */
public record Augmentation(double shift, double rotationDeg, double scale, double stroke,
        double blur, double noise) {

    /** No distortion: images are returned as stored. */
    public static final Augmentation NONE = new Augmentation(0, 0, 0, 0, 0, 0);

    /** Default distortions for the rendered alphabet (font glyphs are too clean alone). */
    public static final Augmentation ALPHABET = new Augmentation(2.0, 12.0, 0.12, 0.7, 0.6, 0.03);

    /** Checks that every amount is finite and non-negative, and fractions are at most 1. */
    public Augmentation {
        for (double v : new double[] {shift, rotationDeg, scale, stroke, blur, noise}) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("augmentation amounts must be finite and >= 0");
            }
        }
        if (stroke > 1 || blur > 1 || scale >= 1) {
            throw new IllegalArgumentException("stroke and blur must be <= 1, scale < 1");
        }
    }

    /** @return whether this changes nothing */
    public boolean isNone() {
        return shift == 0 && rotationDeg == 0 && scale == 0 && stroke == 0 && blur == 0 && noise == 0;
    }
}
