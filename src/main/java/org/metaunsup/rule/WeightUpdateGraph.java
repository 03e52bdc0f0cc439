package org.metaunsup.rule;

import org.metaunsup.ops.GraphOps;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * (d) The update direction of one weight matrix [n_in, n_out] from the twelve candidate terms
 * and their learned merge, and (e) the bias direction (docs/METHOD.md#rule-weight-update,
 * #rule-bias-update, #numerics). Directions are
 * "gradient-like": the step applies p ← (1−η)p − η·g.
 */
final class WeightUpdateGraph {

    private final SameDiff sd;
    private final ThetaGraph theta;
    private final int g;
    private final DataType dtype;
    private final LayerWidths widths;

    WeightUpdateGraph(ThetaGraph theta, DataType dtype, LayerWidths widths) {
        this.widths = widths;
        this.sd = theta.sameDiff();
        this.theta = theta;
        this.g = theta.spec().rule().gradChannels();
        this.dtype = dtype;
    }

    /**
     * @param set {@code W} or {@code V}: which mix weights and readout maps to use
     * @param w the matrix being updated [n_in, n_out]
     * @param upper readouts of the upper layer's h (n_out units)
     * @param lower readouts of the lower layer's h (n_in units)
     * @param xUpper upper post-activations [B, n_out]
     * @param xLower lower post-activations [B, n_in]
     * @param batch B
     * @return the direction g [n_in, n_out]
     */
    SDVariable direction(String set, SDVariable w, FusedReadouts upper, FusedReadouts lower, SDVariable xUpper,
                         SDVariable xLower, int batch) {
        long nIn = lower.units();
        long nOut = upper.units();
        int lIn = lower.layer();
        int lOut = upper.layer();
        double scale = 1.0 / ((double) g * batch);
        // ŵ: every column (receptive field) rescaled to unit RMS.
        SDVariable wHat = w.mul(sd.math().rsqrt(GraphOps.square(w).mean(true, 0).add(1e-6)));
        SDVariable sign = sd.math().sign(wHat);
        SDVariable wHatSq = GraphOps.square(wHat);                    // shared by the sqr terms and the RBF
        SDVariable wSqr = sd.math().sqrt(wHatSq.add(1.0)).sub(1.0);

        SDVariable uStd = standardise(xUpper);
        SDVariable lStd = standardise(xLower);

        SDVariable[] t = new SDVariable[ThetaSpec.TERMS];
        t[0] = wHat;
        t[1] = wHat.mul(sd.math().abs(wHat));                       // ŵ²·sign(ŵ)
        SDVariable cUp = widths.scaled(sd, sd.mmul(uStd, uStd, true, false, false), lOut, LayerWidths.Factor.C_UP,
                batch, g, dtype);
        SDVariable decorr = sd.mmul(wHat, cUp);
        t[2] = decorr.mul(sd.math().rsqrt(GraphOps.square(decorr).mean().add(1e-8)));
        t[3] = sd.mmul(lStd, uStd, true, false, false).mul(-1.0 / batch);
        t[4] = cross(lower.map(set + ".r0.bot"), upper.map(set + ".r0.top"), scale);
        t[5] = sd.math().exp(wHatSq.neg())
                .mul(cross(lower.map(set + ".rbf.bot"), upper.map(set + ".rbf.top"), scale));
        t[6] = wHat.mul(cross(lower.map(set + ".r1.bot"), upper.map(set + ".r1.top"), scale));
        SDVariable uUpperSymm = symmetric(upper, set + ".lin_upper_symm", scale);
        t[7] = sd.mmul(wHat, uUpperSymm);
        SDVariable psd = upper.map(set + ".lin_upper_psd.top");
        t[8] = sd.mmul(wHat, widths.scaled(sd, sd.mmul(psd, psd, false, true, false), lOut, LayerWidths.Factor.PSD,
                batch, g, dtype));
        t[9] = sd.mmul(symmetric(lower, set + ".lin_lower_symm", scale), wHat);
        t[10] = sd.mmul(wSqr, symmetric(upper, set + ".sqr_upper_symm", scale)).mul(sign);
        t[11] = sd.mmul(symmetric(lower, set + ".sqr_lower_symm", scale), wSqr).mul(sign);

        // Merge: per-column normalisation, learned Linear(12→1), /12.
        SDVariable stacked = columnNormalise(sd.stack(0, t), 1);                     // [12, n_in, n_out]
        SDVariable mixed = sd.mmul(sd.reshape(theta.var(set + ".mix.w"), 1, ThetaSpec.TERMS),
                sd.reshape(stacked, ThetaSpec.TERMS, nIn < 0 || nOut < 0 ? -1 : nIn * nOut));
        // Both widths free: the shape comes from w at run time (reshape accepts one −1 only).
        SDVariable back = nIn < 0 && nOut < 0 ? sd.reshape(mixed, sd.shape(w)) : sd.reshape(mixed, nIn, nOut);
        SDVariable dir = back.add(theta.var(set + ".mix.b"))
                .mul(1.0 / ThetaSpec.TERMS);
        // Remove the component that would shrink the weights' norm.
        SDVariable ip = sd.nn().relu(dir.mul(wHat).mean(), 0.0);
        dir = dir.sub(wHat.mul(ip)).mul(1.0 / Math.sqrt(ThetaSpec.TERMS));
        dir = columnNormalise(dir, 0);
        return dir.sub(wHat.mul(1.0 / 7.0));
    }

    /**
     * (e) Bias direction of one layer from its readouts: batch mean of Linear(h→1), shifted to
     * mean 0 if its mean is negative, then divided by √(0.5 + mean square).
     */
    SDVariable biasDirection(FusedReadouts upper) {
        SDVariable db = sd.reshape(upper.columns("bias", 1).mean(1), upper.units());       // [n]
        // min(mean, 0) = −relu(−mean): Δb −= min(mean(Δb), 0).
        db = db.add(sd.nn().relu(db.mean().neg(), 0.0));
        return db.mul(sd.math().rsqrt(GraphOps.square(db).mean().add(0.5)));
    }

    /** Centre each unit over the batch and divide by √(mean square + 1e-6). */
    private SDVariable standardise(SDVariable x) {
        SDVariable c = x.sub(x.mean(true, 0));
        return c.mul(sd.math().rsqrt(GraphOps.square(c).mean(true, 0).add(1e-6)));
    }

    /** R = scale · lower · upperᵀ for maps laid out [n, B·g]. */
    private SDVariable cross(SDVariable lowerMap, SDVariable upperMap, double scale) {
        return sd.mmul(lowerMap, upperMap, false, true, false).mul(scale);
    }

    /** "symm": U = (R + Rᵀ)/√2 with zero diagonal, R from one layer's h with both maps, /√n. */
    private SDVariable symmetric(FusedReadouts r, String term, double scale) {
        SDVariable rr = cross(r.map(term + ".bot"), r.map(term + ".top"), scale);
        SDVariable symm = rr.add(sd.transpose(rr));
        return widths.symmetricMask(sd, symm, r.layer(), dtype);
    }

    /** t / √(1 + mean over the column of t²); {@code axis} is the fan-in axis. */
    private SDVariable columnNormalise(SDVariable t, int axis) {
        return t.mul(sd.math().rsqrt(GraphOps.square(t).mean(true, axis).add(1.0)));
    }
}
