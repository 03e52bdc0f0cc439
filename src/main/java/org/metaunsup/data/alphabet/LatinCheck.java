package org.metaunsup.data.alphabet;

import java.util.List;

/**
 * Decides whether a face draws Latin capitals: each of its 26 glyphs is compared with 26
 * reference templates (mean of reference faces such as DejaVu) by normalised correlation
 * at 14x14, and the score is how many glyphs are nearest to their own letter. Symbol and
 * dingbat faces that map A-Z to pictures score near 1; ordinary faces near 26.
 */
final class LatinCheck {

    private static final int S = 14;
    private final double[][] templates = new double[26][];

    /** @param references rendered faces (26 glyphs each, 28x28 bytes) averaged into templates */
    LatinCheck(List<byte[]> references) {
        for (int l = 0; l < 26; l++) {
            double[] t = new double[S * S];
            for (byte[] r : references) {
                double[] f = features(r, l);
                for (int k = 0; k < t.length; k++) {
                    t[k] += f[k];
                }
            }
            templates[l] = normalise(t);
        }
    }

    /**
     * @param glyphs 26 glyphs, 28x28 bytes each, A..Z
     * @return number of glyphs whose nearest template is their own letter
     */
    int score(byte[] glyphs) {
        int hits = 0;
        for (int l = 0; l < 26; l++) {
            double[] f = normalise(features(glyphs, l));
            int best = -1;
            double bestDot = Double.NEGATIVE_INFINITY;
            for (int m = 0; m < 26; m++) {
                double d = 0;
                for (int k = 0; k < f.length; k++) {
                    d += f[k] * templates[m][k];
                }
                if (d > bestDot) {
                    bestDot = d;
                    best = m;
                }
            }
            if (best == l) {
                hits++;
            }
        }
        return hits;
    }

    /** 2x2 area mean of glyph l: small shifts and stroke details matter less. */
    static double[] features(byte[] glyphs, int l) {
        int n = GlyphRaster.SIZE;
        int base = l * n * n;
        double[] f = new double[S * S];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                f[(y / 2) * S + x / 2] += (glyphs[base + y * n + x] & 0xff) / (4 * 255.0);
            }
        }
        return f;
    }

    private static double[] normalise(double[] v) {
        double mean = 0;
        for (double x : v) {
            mean += x;
        }
        mean /= v.length;
        double ss = 0;
        double[] o = new double[v.length];
        for (int k = 0; k < v.length; k++) {
            o[k] = v[k] - mean;
            ss += o[k] * o[k];
        }
        double inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
        for (int k = 0; k < o.length; k++) {
            o[k] *= inv;
        }
        return o;
    }
}
