package org.metaunsup.data;

/** Area-average downsampling (each output pixel = mean of an f x f input block). */
public final class Downsample {
    private Downsample() {}

    /**
     * Downsamples one channel-major image by an integer factor.
     *
     * @param src input image, length channels*h*w
     * @param channels number of channels
     * @param h input height (divisible by f)
     * @param w input width (divisible by f)
     * @param f the factor
     * @param dst output array
     * @param offset first index written in dst; channels*(h/f)*(w/f) values are written
     */
    public static void areaMean(float[] src, int channels, int h, int w, int f, float[] dst, int offset) {
        int oh = h / f;
        int ow = w / f;
        float inv = 1f / (f * f);
        for (int c = 0; c < channels; c++) {
            int sc = c * h * w;
            int dc = offset + c * oh * ow;
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    // Sum in double so the mean is exact to float rounding for any f.
                    double s = 0;
                    for (int dy = 0; dy < f; dy++) {
                        int row = sc + (oy * f + dy) * w + ox * f;
                        for (int dx = 0; dx < f; dx++) {
                            s += src[row + dx];
                        }
                    }
                    dst[dc + oy * ow + ox] = (float) (s * inv);
                }
            }
        }
    }
}
