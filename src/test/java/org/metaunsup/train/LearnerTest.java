package org.metaunsup.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.metaunsup.DivergenceException;
import org.metaunsup.config.ConfigLoader;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.config.OuterConfig;
import org.metaunsup.rule.ThetaSpec;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The outer optimiser on its own, against Adam written out here step by step: batch averaging,
 * global-norm clipping, staleness, dropped non-finite gradients, a step that would leave the
 * finite numbers, and a restored state that continues exactly. No graph is built: truncations are
 * made by hand with seeded gradients.
 */
class LearnerTest {

    private static final double LR = 0.01;
    private static final double B1 = 0.9;
    private static final double B2 = 0.999;
    private static final double EPS = 1e-8;

    private static final ThetaSpec SPEC = spec();

    private static ThetaSpec spec() {
        ExperimentConfig tiny = ConfigLoader.load("tiny");
        return new ThetaSpec(tiny.rule(), tiny.base().topWidth());
    }

    private static OuterConfig outer(int batch, double clip, double lr) {
        return new OuterConfig(lr, B1, B2, EPS, clip, batch, 1, 1, org.metaunsup.config.ThetaInit.META);
    }

    private static double[] random(long seed, double scale) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] a = new double[(int) SPEC.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = scale * (2 * r.nextDouble() - 1);
        }
        return a;
    }

    private static Truncation truncation(long version, double[] gradient, double loss) {
        return new Truncation(0, version, 2, gradient, new double[] {loss, loss}, new double[] {0.5, 0.5}, 0, null);
    }

    private static Learner learner(OuterConfig outer, double[] theta0) {
        return new Learner(SPEC, outer, theta0, DataType.DOUBLE);
    }

    /** Adam as the paper's optimiser is usually written, one entry at a time (the reference). */
    private static final class ReferenceAdam {
        final double[] theta;
        final double[] m;
        final double[] v;
        int t;

        ReferenceAdam(double[] theta0) {
            theta = theta0.clone();
            m = new double[theta0.length];
            v = new double[theta0.length];
        }

        void step(double[] g, double lr) {
            t++;
            for (int i = 0; i < g.length; i++) {
                m[i] = B1 * m[i] + (1 - B1) * g[i];
                v[i] = B2 * v[i] + (1 - B2) * g[i] * g[i];
                double mHat = m[i] / (1 - Math.pow(B1, t));
                double vHat = v[i] / (1 - Math.pow(B2, t));
                theta[i] -= lr * mHat / (Math.sqrt(vHat) + EPS);
            }
        }
    }

    @Test
    void threeStepsMatchAdamWrittenOut() {
        double[] theta0 = random(1, 0.3);
        Learner l = learner(outer(1, 1e9, LR), theta0);
        ReferenceAdam ref = new ReferenceAdam(theta0);
        for (int s = 1; s <= 3; s++) {
            double[] g = random(10 + s, 1.0);
            Learner.Step step = l.offer(truncation(l.version(), g, 0.7));
            ref.step(g, LR);
            assertNotNull(step);
            assertEquals(s, step.step());
            assertEquals(s, l.version());
            assertEquals(1.0, step.clipScale());
            assertArrayEquals(ref.theta, l.thetaDoubles(), 1e-15, "theta after step " + s);
        }
        assertArrayEquals(ref.m, l.state().m(), 1e-15);
        assertArrayEquals(ref.v, l.state().v(), 1e-15);
        assertArrayEquals(ref.theta, l.current().toDoubles(), 1e-15, "the published theta is the new one");
    }

    @Test
    void aBatchIsTheMeanOfItsGradientsAndWaitsUntilFull() {
        double[] theta0 = random(2, 0.3);
        double[] g1 = random(21, 1.0);
        double[] g2 = random(22, 1.0);
        Learner l = learner(outer(2, 1e9, LR), theta0);
        assertNull(l.offer(truncation(0, g1, 1.0)), "one of two gradients applies nothing");
        assertArrayEquals(theta0, l.thetaDoubles(), 0.0);
        assertEquals(0, l.version());
        Learner.Step step = l.offer(truncation(0, g2, 3.0));
        assertNotNull(step);

        double[] mean = new double[g1.length];
        double norm2 = 0;
        for (int i = 0; i < mean.length; i++) {
            mean[i] = (g1[i] + g2[i]) / 2;
            norm2 += mean[i] * mean[i];
        }
        ReferenceAdam ref = new ReferenceAdam(theta0);
        ref.step(mean, LR);
        assertArrayEquals(ref.theta, l.thetaDoubles(), 1e-15);
        assertEquals(Math.sqrt(norm2), step.gradNorm(), 1e-12);
        assertEquals(2.0, step.meanLoss(), 1e-15);
        assertEquals(2.0, step.meanK(), 0.0);
        assertEquals(2, l.applied());
        assertEquals(2, l.received());
    }

    @Test
    void clippingScalesTheBatchGradientToTheGlobalNorm() {
        double[] theta0 = random(3, 0.3);
        double[] g = random(31, 1.0);
        double norm = Math.sqrt(Arrays.stream(g).map(x -> x * x).sum());
        double clip = norm / 4;
        Learner l = learner(outer(1, clip, LR), theta0);
        Learner.Step step = l.offer(truncation(0, g, 0.5));

        assertEquals(norm, step.gradNorm(), 1e-12, "the norm is reported before clipping");
        assertEquals(0.25, step.clipScale(), 1e-12);
        double[] clipped = Arrays.stream(g).map(x -> x * 0.25).toArray();
        ReferenceAdam ref = new ReferenceAdam(theta0);
        ref.step(clipped, LR);
        // Adam's first step barely sees a uniform scale; its moments do.
        assertArrayEquals(ref.m, l.state().m(), 1e-15);
        assertArrayEquals(ref.v, l.state().v(), 1e-15);
        assertArrayEquals(ref.theta, l.thetaDoubles(), 1e-15);

        Learner unclipped = learner(outer(1, 2 * norm, LR), theta0);
        assertEquals(1.0, unclipped.offer(truncation(0, g, 0.5)).clipScale(), "below the bound nothing changes");
    }

    @Test
    void stalenessIsTheStepAppliedAtMinusTheVersionComputedOn() {
        Learner l = learner(outer(3, 1e9, LR), random(4, 0.3));
        l.offer(truncation(0, random(41, 1), 1));
        l.offer(truncation(0, random(42, 1), 1));
        Learner.Step first = l.offer(truncation(0, random(43, 1), 1));
        assertEquals(0.0, first.meanStaleness());
        assertEquals(0, first.maxStaleness());

        // Step 1 is applied; gradients computed on versions 0, 1 and 0 arrive for step 2.
        l.offer(truncation(0, random(44, 1), 1));
        l.offer(truncation(1, random(45, 1), 1));
        Learner.Step second = l.offer(truncation(0, random(46, 1), 1));
        assertEquals(2, second.step());
        assertEquals(2.0 / 3, second.meanStaleness(), 1e-15);
        assertEquals(1, second.maxStaleness());
    }

    @Test
    void aNonFiniteGradientIsDroppedAndCountedNeverAveragedIn() {
        double[] theta0 = random(5, 0.3);
        double[] good = random(51, 1.0);
        double[] bad = random(52, 1.0);
        bad[7] = Double.NaN;
        Learner l = learner(outer(1, 1e9, LR), theta0);

        assertNull(l.offer(truncation(0, bad, 0.5)));
        assertNull(l.offer(truncation(0, random(53, 1.0), Double.POSITIVE_INFINITY)), "a non-finite loss too");
        assertEquals(2, l.dropped());
        assertEquals(2, l.received());
        assertArrayEquals(theta0, l.thetaDoubles(), 0.0);

        Learner.Step step = l.offer(truncation(0, good, 0.5));
        assertEquals(2, step.dropped());
        ReferenceAdam ref = new ReferenceAdam(theta0);
        ref.step(good, LR);
        assertArrayEquals(ref.theta, l.thetaDoubles(), 1e-15, "only the finite gradient is applied");
        assertEquals(1, l.applied());
    }

    @Test
    void aStepThatWouldLeaveTheFiniteNumbersThrowsAndLeavesThetaAsItWas() {
        double[] theta0 = random(6, 0.3);
        Learner l = learner(outer(1, 1e9, Double.POSITIVE_INFINITY), theta0);
        assertThrows(DivergenceException.class, () -> l.offer(truncation(0, random(61, 1.0), 0.5)));
        assertArrayEquals(theta0, l.thetaDoubles(), 0.0);
        assertArrayEquals(new double[theta0.length], l.state().m(), 0.0, "the moments are not half-updated");
        assertEquals(0, l.version());
    }

    @Test
    void aRestoredLearnerContinuesExactly() {
        OuterConfig o = outer(2, 3.0, LR);
        Learner straight = learner(o, random(7, 0.3));
        straight.offer(truncation(0, random(71, 1), 1));
        straight.offer(truncation(0, random(72, 1), 1));
        straight.offer(truncation(1, random(73, 1), 1));   // pending across the checkpoint

        Learner resumed = Learner.restore(SPEC, o, straight.state(), DataType.DOUBLE);
        Learner.Step a = straight.offer(truncation(1, random(74, 1), 1));
        Learner.Step b = resumed.offer(truncation(1, random(74, 1), 1));
        assertEquals(a, b);
        assertArrayEquals(straight.thetaDoubles(), resumed.thetaDoubles(), 0.0);
        assertEquals(straight.received(), resumed.received());
    }

    @Test
    void aGradientOfAnotherLayoutIsRefused() {
        Learner l = learner(outer(1, 1e9, LR), random(8, 0.3));
        assertThrows(IllegalArgumentException.class, () -> l.offer(truncation(0, new double[3], 0.5)));
    }
}
