package org.metaunsup.util;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Splits one run seed into independent named streams (init, task, data, truncation, …), so
 * that adding draws to one stream never shifts another and every draw is reproducible.
 */
public final class Seeds {

    private Seeds() {}

    /**
     * @param seed the run seed
     * @param name the stream's name, e.g. {@code theta-init}
     * @return a fresh generator for that stream
     */
    public static SplittableRandom stream(long seed, String name) {
        return new SplittableRandom(derive(seed, name));
    }

    /**
     * @param seed the run seed
     * @param name the stream's name
     * @return a 64-bit seed derived from both (FNV-1a of the name mixed with the seed)
     */
    public static long derive(long seed, String name) {
        long h = 0xcbf29ce484222325L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h ^= b;
            h *= 0x100000001b3L;
        }
        return new SplittableRandom(seed ^ h).nextLong();
    }
}
