package org.metaunsup.train.estimator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.metaunsup.util.Seeds;

/**
 * The estimators' arithmetic on a problem whose gradients are exact ({@link LinearToy}): one inner
 * run of T = 200 steps in 20 truncations of k = 10, η = 0.05 (so the state at a truncation's start
 * carries most of θ's influence). Over many seeds the PES estimate of the last truncation, and the
 * sum of its estimates over the whole run, match the exact total derivative within 4 standard
 * errors, while truncated backprop's (exact on the toy) and ES's are far from it — the bias PES
 * exists to remove. With a quadratic loss of a linear inner update the antithetic difference has
 * no odd terms beyond the linear one, so PES is exactly unbiased here and the check is sharp.
 */
class AntitheticToyTest {

    private static final int T = 200;
    private static final int K = 10;
    private static final double SIGMA = 0.05;
    private static final int RUNS = 20_000;
    private static final LinearToy TOY = new LinearToy(0.05, new double[] {1.0, -0.5, 2.0});
    private static final double[] THETA = {0.3, 0.2, -0.4};

    /** Per component: mean and standard error over runs of (last truncation's estimate, whole-run sum). */
    private record Stats(double[] lastMean, double[] lastSe, double[] sumMean, double[] sumSe) {}

    private static Stats run(boolean pes, int pairs) {
        int d = THETA.length;
        double[] s1 = new double[d];
        double[] s2 = new double[d];
        double[] w1 = new double[d];
        double[] w2 = new double[d];
        for (int r = 0; r < RUNS; r++) {
            List<Particle<double[]>> particles = new ArrayList<>();
            for (int p = 0; p < pairs; p++) {
                particles.add(Particle.fresh(new double[d], d));
            }
            double[] state = new double[d];
            double[] sum = new double[d];
            double[] last = null;
            for (int j = 0; j < T / K; j++) {
                List<SplittableRandom> streams = new ArrayList<>();
                for (int p = 0; p < pairs; p++) {
                    streams.add(Seeds.stream(r, "toy/" + j + "/" + p));
                }
                double[][] eps = Antithetic.perturbations(streams, d, SIGMA);
                Antithetic.Estimate<double[]> e = pes
                        ? Antithetic.pes(TOY, particles, THETA, SIGMA, eps, K)
                        : Antithetic.es(TOY, state, THETA, SIGMA, eps, K);
                particles = e.particles();
                state = e.carried();
                assertEquals(2L * pairs * K, e.innerSteps());
                for (int i = 0; i < d; i++) {
                    sum[i] += e.gradient()[i];
                }
                last = e.gradient();
            }
            for (int i = 0; i < d; i++) {
                s1[i] += last[i];
                s2[i] += last[i] * last[i];
                w1[i] += sum[i];
                w2[i] += sum[i] * sum[i];
            }
        }
        double[][] out = new double[4][d];
        for (int i = 0; i < d; i++) {
            out[0][i] = s1[i] / RUNS;
            out[1][i] = Math.sqrt((s2[i] / RUNS - out[0][i] * out[0][i]) / (RUNS - 1));
            out[2][i] = w1[i] / RUNS;
            out[3][i] = Math.sqrt((w2[i] / RUNS - out[2][i] * out[2][i]) / (RUNS - 1));
        }
        return new Stats(out[0], out[1], out[2], out[3]);
    }

    /** Σ over the run's truncations of the exact gradient (whole: total derivative; else truncated). */
    private static double[] wholeRun(boolean whole) {
        double[] g = new double[THETA.length];
        for (int j = 0; j < T / K; j++) {
            double[] gj = TOY.gradient(THETA, j * K, K, whole);
            for (int i = 0; i < g.length; i++) {
                g[i] += gj[i];
            }
        }
        return g;
    }

    @Test
    void pesMatchesTheWholeUnrollGradientAndTruncatedBackpropDoesNot() {
        Stats s = run(true, 1);
        double[] exactLast = TOY.gradient(THETA, T - K, K, true);
        double[] truncLast = TOY.gradient(THETA, T - K, K, false);
        double[] exactSum = wholeRun(true);
        double[] truncSum = wholeRun(false);
        for (int i = 0; i < THETA.length; i++) {
            assertTrue(Math.abs(s.lastMean()[i] - exactLast[i]) < 4 * s.lastSe()[i],
                    "PES, last truncation, component " + i + ": " + s.lastMean()[i] + " ± " + s.lastSe()[i]
                            + ", exact " + exactLast[i]);
            assertTrue(Math.abs(s.sumMean()[i] - exactSum[i]) < 4 * s.sumSe()[i],
                    "PES, whole run, component " + i + ": " + s.sumMean()[i] + " ± " + s.sumSe()[i]
                            + ", exact " + exactSum[i]);
            assertTrue(Math.abs(truncLast[i] - exactLast[i]) > 10 * s.lastSe()[i],
                    "truncated backprop must be biased beyond PES's error: " + truncLast[i] + " vs " + exactLast[i]);
            assertTrue(Math.abs(truncSum[i] - exactSum[i]) > 10 * s.sumSe()[i],
                    "truncated backprop, whole run: " + truncSum[i] + " vs " + exactSum[i]);
        }
    }

    @Test
    void esCarriesTheTruncationBiasOfBackprop() {
        Stats s = run(false, 2);
        double[] exactLast = TOY.gradient(THETA, T - K, K, true);
        double[] truncLast = TOY.gradient(THETA, T - K, K, false);
        for (int i = 0; i < THETA.length; i++) {
            assertTrue(Math.abs(s.lastMean()[i] - truncLast[i]) < 4 * s.lastSe()[i],
                    "ES estimates the truncated gradient, component " + i + ": " + s.lastMean()[i] + " ± "
                            + s.lastSe()[i] + ", truncated " + truncLast[i]);
            assertTrue(Math.abs(s.lastMean()[i] - exactLast[i]) > 10 * s.lastSe()[i],
                    "ES must miss the whole-unroll gradient, component " + i + ": " + s.lastMean()[i] + " vs "
                            + exactLast[i]);
        }
    }
}
