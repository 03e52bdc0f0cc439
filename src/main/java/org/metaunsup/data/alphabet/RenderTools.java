package org.metaunsup.data.alphabet;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * What the alphabet's and the glyph corpus's generators share: ink counts and distances of
 * rasters, the stable text hash their seeded orders and splits use, file extensions and CSV
 * quoting of their manifests.
 */
public final class RenderTools {

    private RenderTools() {}

    /**
     * @param raster 8-bit pixels
     * @return pixels brighter than 64 (a raster with fewer than a handful is empty)
     */
    public static int inkPixels(byte[] raster) {
        int n = 0;
        for (byte b : raster) {
            if ((b & 0xff) > 64) {
                n++;
            }
        }
        return n;
    }

    /**
     * @param a values
     * @param b values of the same length
     * @return the mean absolute difference
     */
    public static double meanAbsDiff(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += Math.abs(a[i] - b[i]);
        }
        return s / a.length;
    }

    /**
     * @param text any text
     * @return a stable 64-bit value of it: the first 8 bytes of its SHA-256
     */
    public static long seedOf(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(d).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param p a file
     * @return its extension in lower case, or "" when it has none
     */
    public static String extension(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /**
     * @param s a CSV field, or null
     * @return it quoted when needed (inner quotes doubled, line breaks as spaces); null as ""
     */
    public static String csv(String s) {
        if (s == null) {
            return "";
        }
        if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
            return "\"" + s.replace("\"", "\"\"").replace("\n", " ") + "\"";
        }
        return s;
    }
}
