package org.metaunsup.eval.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.metaunsup.cli.ProcessSetup;
import org.metaunsup.config.ConfigLoader;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.data.Datasets;
import org.metaunsup.eval.CurvePoint;
import org.metaunsup.eval.EvalData;
import org.metaunsup.eval.EvalProtocol;
import org.metaunsup.eval.Evaluation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The PCA baseline: nd4j's PCA gives orthonormal directions of decreasing variance whose
 * projections are decorrelated and capture the most variance there is (checked against the
 * covariance's own eigenvalues), reconstructs low-rank data, and on MNIST 14×14 its 10-shot
 * accuracy beats random-init features.
 */
class PcaMethodTest {

    private static EvalData mnist;

    @BeforeAll
    static void load() {
        ProcessSetup.init();
        mnist = EvalData.of(Datasets.load("mnist14"));
    }

    @Test
    void componentsOfMnistAreOrthonormalDecorrelatedAndTheTopOnes() {
        int k = 32;
        INDArray pool = mnist.unlabelledPool(EvalData.range(mnist.dim()), DataType.DOUBLE);
        PcaMethod.Fit fit = PcaMethod.Fit.of(pool, k);
        assertEquals(List.of((long) mnist.dim(), (long) k), List.of(fit.factor().size(0), fit.factor().size(1)));
        double orth = fit.factor().transpose().mmul(fit.factor()).sub(Nd4j.eye(k).castTo(DataType.DOUBLE))
                .amaxNumber().doubleValue();
        assertTrue(orth < 1e-10, "directions orthonormal: " + orth);

        INDArray p = fit.project(pool);
        long n = p.size(0);
        INDArray cov = p.transpose().mmul(p).divi(n - 1);   // projections are centred by the fit's mean
        double[] var = new double[k];
        for (int i = 0; i < k; i++) {
            var[i] = cov.getDouble(i, i);
        }
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                if (i != j) {
                    double r = Math.abs(cov.getDouble(i, j)) / Math.sqrt(var[i] * var[j]);
                    assertTrue(r < 1e-8, "projections " + i + " and " + j + " correlated: " + r);
                }
            }
            if (i > 0) {
                assertTrue(var[i] <= var[i - 1] * (1 + 1e-9), "variances decrease: " + var[i - 1] + ", " + var[i]);
            }
        }
        // They are the top eigenvalues of the pixel covariance, computed here another way (LAPACK syev).
        INDArray centred = pool.subRowVector(pool.mean(0));
        INDArray pixelCov = centred.transpose().mmul(centred).divi(n - 1);
        double[] eig = Eigen.symmetricGeneralizedEigenvalues(pixelCov.dup(), false).toDoubleVector();
        Arrays.sort(eig);
        int d = eig.length;
        assertEquals(mnist.dim(), d);
        for (int i = 0; i < k; i++) {
            assertEquals(eig[d - 1 - i], var[i], 1e-8 * eig[d - 1], "variance of component " + i);
        }
    }

    @Test
    void reconstructsLowRankDataAndCentresWithTheTrainingMean() {
        // Rank 5 plus a constant column (MNIST's blank border pixels make its covariance singular too).
        SplittableRandom rng = new SplittableRandom(7);
        int n = 500;
        int d = 40;
        double[][] z = new double[n][5];
        double[][] mix = new double[5][d];
        for (double[] row : z) {
            for (int j = 0; j < 5; j++) {
                row[j] = rng.nextGaussian();
            }
        }
        for (double[] row : mix) {
            for (int j = 0; j < d; j++) {
                row[j] = rng.nextGaussian();
            }
        }
        INDArray x = Nd4j.create(z).mmul(Nd4j.create(mix)).addi(3.0);
        x.getColumn(0).assign(0.25);
        PcaMethod.Fit fit = PcaMethod.Fit.of(x, 5);
        INDArray back = fit.reconstruct(fit.project(x));
        double err = back.sub(x).norm2Number().doubleValue() / x.norm2Number().doubleValue();
        assertTrue(err < 1e-10, "rank-5 data from 5 components: relative error " + err);
        assertTrue(fit.mean().getDouble(0) == 0.25 && Math.abs(fit.mean().getDouble(1) - x.getColumn(1).meanNumber()
                .doubleValue()) < 1e-12, "the mean is the data's");
        assertEquals(0.0, fit.project(x).mean(0).amaxNumber().doubleValue(), 1e-9, "projections centred");
        // With fewer components than the rank, it cannot reconstruct: the test can tell.
        PcaMethod.Fit three = PcaMethod.Fit.of(x, 3);
        double err3 = three.reconstruct(three.project(x)).sub(x).norm2Number().doubleValue()
                / x.norm2Number().doubleValue();
        assertTrue(err3 > 1e-3, "3 of 5 components: " + err3);
    }

    @Test
    void tenShotAccuracyOnMnistIsAboveRandomInitFeaturesAndFlat() {
        ExperimentConfig cfg = ConfigLoader.load("small").withInputWidth(mnist.dim());
        EvalProtocol protocol = new EvalProtocol(2, 1, 2, 10, 500, 3, 0.1);
        Evaluation evaluation = new Evaluation(cfg, cfg.base(), mnist, protocol, 3, DataType.FLOAT);
        List<CurvePoint> points = evaluation.run(List.of(new PcaMethod(), new NoRuleMethod()), null, () -> false)
                .points();
        double pca = mean(points, "pca");
        double none = mean(points, "none");
        assertTrue(pca > none + 0.05, "10-shot ridge, PCA " + pca + " vs random-init features " + none);
        for (CurvePoint p : points) {
            if (p.method().equals("pca")) {
                CurvePoint first = points.stream().filter(q -> q.method().equals("pca") && q.seed() == p.seed())
                        .findFirst().orElseThrow();
                assertEquals(first.ridgeAccuracy(), p.ridgeAccuracy(), "flat over steps");
            }
        }
    }

    private static double mean(List<CurvePoint> points, String method) {
        return points.stream().filter(p -> p.method().equals(method)).mapToDouble(CurvePoint::ridgeAccuracy)
                .average().orElseThrow();
    }
}
