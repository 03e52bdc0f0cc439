package org.metaunsup.eval.method;

import org.metaunsup.BadInputException;
import org.metaunsup.eval.FeatureMethod;
import org.metaunsup.eval.MethodContext;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dimensionalityreduction.PCA;

/**
 * Baseline "PCA": the projections of the (permuted) inputs onto the top k principal components of
 * the whole unlabelled training split, k = the base model's top width (the config's
 * {@code base.top}, 32 for {@code small}), so PCA hands the readouts as many features as the rule.
 * The components come from nd4j's {@link PCA#pca_factor} (an SVD of the centred pool, LAPACK
 * {@code gesvd}), fitted once per seed in float64 on that seed's permutation of the pixels; the
 * features are {@code (x − mean) · factor}, neither scaled nor whitened (the readouts standardise
 * or regularise them as they do every method's). Nothing is random: the SVD is deterministic, so a
 * seed only changes the pixel order (which leaves the projections the same up to round-off) and the
 * labelled draws. It has no training steps: its curve is flat, like raw pixels, measured once per
 * seed and repeated at every step.
 */
public final class PcaMethod implements FeatureMethod {

    @Override
    public String id() {
        return "pca";
    }

    @Override
    public String label() {
        return "PCA (top principal components of the unlabelled split)";
    }

    @Override
    public Run start(MethodContext ctx) {
        Fit fit = Fit.of(ctx.labelled().data().unlabelledPool(ctx.perm(), DataType.DOUBLE), ctx.arch().topWidth());
        return new Run() {
            @Override
            public void train(int steps) {
                // Fitted once on the whole split: there is nothing to step.
            }

            @Override
            public INDArray features(INDArray x) {
                return fit.project(x).castTo(ctx.dtype());
            }

            @Override
            public boolean learns() {
                return false;
            }
        };
    }

    /**
     * A fitted PCA: the training mean and the top-k principal directions.
     *
     * @param mean column means of the fitted data [D]
     * @param factor principal directions as orthonormal columns [D, k], by decreasing variance
     */
    public record Fit(INDArray mean, INDArray factor) {

        /**
         * @param pool the data, one row per example [n, D] (left unchanged)
         * @param k components kept
         * @return the fit
         * @throws BadInputException when k exceeds D or n
         */
        public static Fit of(INDArray pool, int k) {
            long n = pool.size(0);
            long d = pool.size(1);
            if (k < 1 || k > d || k > n) {
                throw new BadInputException("PCA baseline: " + k + " components from " + n + " images of " + d
                        + " pixels (it keeps the base model's top width of components; needs at most min(n, D))");
            }
            INDArray x = pool.castTo(DataType.DOUBLE);
            INDArray mean = x.mean(0);
            // pca_factor centres its argument in place and runs LAPACK on it: it must be a column-major
            // copy. Given a C-order array its directions are wrong (measured: 98 % reconstruction error
            // on rank-5 data, variances out of order), which PcaMethodTest guards against.
            INDArray factor = PCA.pca_factor(x.dup('f'), k, true);
            return new Fit(mean, factor);
        }

        /**
         * @param x inputs [m, D]
         * @return their projections [m, k] in float64
         */
        public INDArray project(INDArray x) {
            return x.castTo(DataType.DOUBLE).subRowVector(mean).mmul(factor);
        }

        /**
         * @param projections [m, k]
         * @return their reconstruction in input space [m, D]
         */
        public INDArray reconstruct(INDArray projections) {
            return projections.castTo(DataType.DOUBLE).mmul(factor.transpose()).addRowVector(mean);
        }
    }
}
