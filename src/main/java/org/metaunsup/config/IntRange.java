package org.metaunsup.config;

/**
 * An inclusive integer range written {@code lo..hi} in config files (read by {@link ConfigKeys}).
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

    @Override
    public String toString() {
        return lo + ".." + hi;
    }
}
