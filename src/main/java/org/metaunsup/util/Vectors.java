package org.metaunsup.util;

/** Dot products and cosines of plain double vectors, as the estimator checks compare gradients. */
public final class Vectors {

    private Vectors() {
    }

    /**
     * @param a a vector
     * @param b a vector of the same length
     * @return a · b
     */
    public static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /**
     * @param a a vector
     * @param b a vector of the same length
     * @return the cosine of the angle between them (NaN when either is zero)
     */
    public static double cosine(double[] a, double[] b) {
        return dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
    }
}
