package org.metaunsup.data;

import java.util.SplittableRandom;

/**
 * Applies an {@link Augmentation} to one channel-major image in place, drawing every
 * random value from the given stream (so the result is a pure function of the stream).
 * Not thread-safe (it reuses scratch buffers): use one per thread.
 */
public final class Augmenter {

    /** The 4-neighbourhood of the morphological filters. */
    private static final int[][] CROSS = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}};

    private final Augmentation aug;
    private final int channels;
    private final int h;
    private final int w;
    private final float[] tmp;
    private final float[] tmp2;

    /**
     * @param aug the distortion amounts
     * @param channels channels per image
     * @param h image height
     * @param w image width
     */
    public Augmenter(Augmentation aug, int channels, int h, int w) {
        this.aug = aug;
        this.channels = channels;
        this.h = h;
        this.w = w;
        this.tmp = new float[channels * h * w];
        this.tmp2 = new float[channels * h * w];
    }

    /**
     * Distorts {@code img[off .. off+channels*h*w)} in place.
     *
     * @param img the image array
     * @param off offset of the image
     * @param rng source of every random value used
     */
    public void apply(float[] img, int off, SplittableRandom rng) {
        if (aug.isNone()) {
            return;
        }
        // Draw all values first, in a fixed order, so the stream use is independent of the data.
        double px = h / 28.0;
        double tx = sym(rng, aug.shift()) * px;
        double ty = sym(rng, aug.shift()) * px;
        double rot = Math.toRadians(sym(rng, aug.rotationDeg()));
        double sc = Math.exp(sym(rng, Math.log1p(aug.scale())));
        double stroke = sym(rng, aug.stroke());
        double blur = rng.nextDouble() * aug.blur();
        double noise = rng.nextDouble() * aug.noise();
        int n = channels * h * w;
        if (tx != 0 || ty != 0 || rot != 0 || sc != 1) {
            affine(img, off, tx, ty, rot, sc);
        }
        if (stroke != 0) {
            morph(img, off, stroke);
        }
        if (blur > 0) {
            blur(img, off, blur);
        }
        if (noise > 0) {
            for (int k = 0; k < n; k++) {
                img[off + k] = (float) Math.min(1, Math.max(0, img[off + k] + noise * rng.nextGaussian()));
            }
        }
    }

    private static double sym(SplittableRandom rng, double max) {
        return (2 * rng.nextDouble() - 1) * max;
    }

    /** Inverse-maps every output pixel through rotation+scale about the centre, bilinear. */
    private void affine(float[] img, int off, double tx, double ty, double rot, double sc) {
        System.arraycopy(img, off, tmp, 0, tmp.length);
        double cx = (w - 1) / 2.0;
        double cy = (h - 1) / 2.0;
        double cos = Math.cos(rot) / sc;
        double sin = Math.sin(rot) / sc;
        for (int c = 0; c < channels; c++) {
            int base = c * h * w;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double dx = x - cx - tx;
                    double dy = y - cy - ty;
                    double sx = cos * dx + sin * dy + cx;
                    double sy = -sin * dx + cos * dy + cy;
                    img[off + base + y * w + x] = (float) bilinear(tmp, base, sx, sy);
                }
            }
        }
    }

    private double bilinear(float[] src, int base, double sx, double sy) {
        int x0 = (int) Math.floor(sx);
        int y0 = (int) Math.floor(sy);
        double fx = sx - x0;
        double fy = sy - y0;
        return (1 - fy) * ((1 - fx) * at(src, base, x0, y0) + fx * at(src, base, x0 + 1, y0))
                + fy * ((1 - fx) * at(src, base, x0, y0 + 1) + fx * at(src, base, x0 + 1, y0 + 1));
    }

    private float at(float[] src, int base, int x, int y) {
        return x < 0 || y < 0 || x >= w || y >= h ? 0f : src[base + y * w + x];
    }

    /** Blends with a 3x3 (cross) max filter to thicken or min filter to thin strokes. */
    private void morph(float[] img, int off, double amount) {
        System.arraycopy(img, off, tmp, 0, tmp.length);
        boolean dilate = amount > 0;
        float a = (float) Math.abs(amount);
        for (int c = 0; c < channels; c++) {
            int base = c * h * w;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float v = tmp[base + y * w + x];
                    float m = v;
                    for (int[] d : CROSS) {
                        float u = at(tmp, base, x + d[0], y + d[1]);
                        m = dilate ? Math.max(m, u) : Math.min(m, u);
                    }
                    img[off + base + y * w + x] = v + a * (m - v);
                }
            }
        }
    }

    /** Blends with a separable [1 2 1]/4 blur. */
    private void blur(float[] img, int off, double amount) {
        System.arraycopy(img, off, tmp, 0, tmp.length);
        for (int c = 0; c < channels; c++) {
            int base = c * h * w;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    tmp2[base + y * w + x] = 0.25f * at(tmp, base, x - 1, y) + 0.5f * tmp[base + y * w + x]
                            + 0.25f * at(tmp, base, x + 1, y);
                }
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float b = 0.25f * at(tmp2, base, x, y - 1) + 0.5f * tmp2[base + y * w + x]
                            + 0.25f * at(tmp2, base, x, y + 1);
                    int k = off + base + y * w + x;
                    img[k] = (float) (img[k] + amount * (b - img[k]));
                }
            }
        }
    }
}
