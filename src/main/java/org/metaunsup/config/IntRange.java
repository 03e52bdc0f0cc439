package org.metaunsup.config;

import org.metaunsup.BadInputException;

/**
 * An inclusive integer range written {@code lo..hi} in config files.
 *
 * @param lo smallest value
 * @param hi largest value
 */
public record IntRange(int lo, int hi) {

    public IntRange {
        if (lo > hi) {
            throw new IllegalArgumentException("empty range " + lo + ".." + hi);
        }
    }

    /**
     * @param key config key, for the error message
     * @param text {@code lo..hi} or a single number
     * @return the range
     */
    public static IntRange parse(String key, String text) {
        String t = text.trim();
        try {
            int dots = t.indexOf("..");
            if (dots < 0) {
                int v = Integer.parseInt(t);
                return new IntRange(v, v);
            }
            return new IntRange(Integer.parseInt(t.substring(0, dots).trim()),
                    Integer.parseInt(t.substring(dots + 2).trim()));
        } catch (IllegalArgumentException e) {
            throw new BadInputException("config key " + key + ": expected lo..hi, got '" + text + "'");
        }
    }

    @Override
    public String toString() {
        return lo + ".." + hi;
    }
}
