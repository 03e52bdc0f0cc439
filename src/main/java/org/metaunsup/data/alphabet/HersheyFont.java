package org.metaunsup.data.alphabet;

import java.awt.geom.Path2D;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A Hershey stroke font in the {@code .jhf} format of the hershey-fonts-data package.
 *
 * <p>Each glyph: a 5-character id, a 3-character vertex count n (including the left/right
 * margin pair), then n coordinate pairs of characters, each coordinate being the character
 * code minus {@code 'R'}; the pair {@code " R"} lifts the pen. Long glyphs may wrap onto
 * following lines, so line breaks inside the pairs are skipped. In the ASCII fonts the
 * k-th glyph is character {@code 32 + k}.
 */
final class HersheyFont {

    /** Strokes of each glyph: a list of polylines, each {x0, y0, x1, y1, ...} (y down). */
    private final List<List<double[]>> glyphs;

    private HersheyFont(List<List<double[]>> glyphs) {
        this.glyphs = glyphs;
    }

    /**
     * @param file a .jhf file
     * @return the parsed font
     * @throws IOException on read failure or malformed content
     */
    static HersheyFont read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        List<List<double[]>> glyphs = new ArrayList<>();
        int p = 0;
        int len = text.length();
        while (true) {
            while (p < len && (text.charAt(p) == '\n' || text.charAt(p) == '\r')) {
                p++;
            }
            if (p + 8 > len) {
                break;
            }
            int n = Integer.parseInt(text.substring(p + 5, p + 8).trim());
            p += 8;
            char[] pairs = new char[2 * n];
            for (int k = 0; k < 2 * n; ) {
                if (p >= len) {
                    throw new IOException(file + ": glyph " + glyphs.size() + " truncated");
                }
                char c = text.charAt(p++);
                if (c != '\n' && c != '\r') {
                    pairs[k++] = c;
                }
            }
            List<double[]> strokes = new ArrayList<>();
            List<Double> cur = new ArrayList<>();
            for (int v = 1; v < n; v++) { // pair 0 is the left/right margin
                char cx = pairs[2 * v];
                char cy = pairs[2 * v + 1];
                if (cx == ' ' && cy == 'R') {
                    flush(cur, strokes);
                    continue;
                }
                cur.add((double) (cx - 'R'));
                cur.add((double) (cy - 'R'));
            }
            flush(cur, strokes);
            glyphs.add(strokes);
        }
        return new HersheyFont(glyphs);
    }

    private static void flush(List<Double> cur, List<double[]> strokes) {
        if (!cur.isEmpty()) {
            strokes.add(cur.stream().mapToDouble(Double::doubleValue).toArray());
            cur.clear();
        }
    }

    /**
     * @param c an ASCII character
     * @return whether the font has a non-empty glyph for it
     */
    boolean has(char c) {
        int k = c - 32;
        return k >= 0 && k < glyphs.size() && !glyphs.get(k).isEmpty();
    }

    /**
     * The glyph as a path, every vertex moved by Gaussian jitter ({@code sigma} font units)
     * plus one smooth random offset per stroke, drawn from {@code rng}.
     *
     * @param c an ASCII character the font has
     * @param sigma per-vertex jitter, font units (0 for none)
     * @param rng random stream (not used when sigma is 0)
     * @return the strokes as an open path
     */
    Path2D.Double path(char c, double sigma, SplittableRandom rng) {
        Path2D.Double path = new Path2D.Double();
        for (double[] s : glyphs.get(c - 32)) {
            double ox = sigma * gauss(rng);
            double oy = sigma * gauss(rng);
            for (int i = 0; i < s.length; i += 2) {
                double x = s[i] + ox + sigma * gauss(rng);
                double y = s[i + 1] + oy + sigma * gauss(rng);
                if (i == 0) {
                    path.moveTo(x, y);
                } else {
                    path.lineTo(x, y);
                }
            }
            if (s.length == 2) { // a dot: a zero-length segment still gets round caps
                path.lineTo(s[0] + ox, s[1] + oy);
            }
        }
        return path;
    }

    private static double gauss(SplittableRandom rng) {
        return rng == null ? 0 : rng.nextGaussian();
    }
}
