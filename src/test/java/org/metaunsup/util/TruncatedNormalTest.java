package org.metaunsup.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The truncated normal: within ±2, a resampled (not clamped) standard normal, reproducible. */
class TruncatedNormalTest {

    @Test
    void drawsStayWithinTheBoundAndAreResampledNotClamped() {
        SplittableRandom r = new SplittableRandom(3);
        int n = 200_000;
        double sum = 0;
        double sq = 0;
        int atBound = 0;
        for (int i = 0; i < n; i++) {
            double g = TruncatedNormal.draw(r);
            assertTrue(Math.abs(g) <= TruncatedNormal.BOUND, "draw " + g);
            atBound += Math.abs(g) == TruncatedNormal.BOUND ? 1 : 0;
            sum += g;
            sq += g * g;
        }
        assertEquals(0, atBound, "clamping would pile draws up at the bound");
        assertEquals(0.0, sum / n, 0.01);
        // Variance of a standard normal truncated to ±2: 1 − 2·2·φ(2)/(2Φ(2) − 1) = 0.7737.
        assertEquals(0.7737, sq / n, 0.01);
    }

    @Test
    void theSameStreamGivesTheSameDrawsAndSkipsDrawsBeyondTheBound() {
        SplittableRandom a = new SplittableRandom(11);
        SplittableRandom plain = new SplittableRandom(11);
        for (int i = 0; i < 1000; i++) {
            double g;
            do {
                g = plain.nextGaussian();
            } while (Math.abs(g) > 2.0);
            assertEquals(g, TruncatedNormal.draw(a), 0.0);
        }
    }
}
