package org.metaunsup.bench;

import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.config.RuleConfig;
import org.metaunsup.rule.ThetaSpec;

/**
 * Counts the floating-point operations of the matrix products and convolutions of an inner
 * step and of the meta-objective (a multiply-add counts 2). Element-wise work is left out, so
 * achieved GFLOP/s computed from these counts is a lower bound on the work really done. A
 * meta-gradient is counted as 3× its forward work (forward + two products per product in the
 * backward pass), the usual estimate.
 */
public final class FlopModel {

    private FlopModel() {}

    /**
     * @param cfg rule widths and inner batch
     * @param base base model shape
     * @return FLOPs of one inner step (forward, rule, update)
     */
    public static double innerStep(ExperimentConfig cfg, BaseModelConfig base) {
        RuleConfig r = cfg.rule();
        double b = cfg.innerBatch();
        int depth = base.depth();
        double top = base.topWidth();
        double t = r.topWidth();
        double h = r.hidden();
        double k = r.kernel();
        double f = new ThetaSpec(r, base.topWidth()).readoutMaps().size() * (double) r.gradChannels()
                + r.delta() + 1;
        double flops = forward(base, b);
        // (a) top-down network
        flops += top * b * 2 * t * r.topKernel();
        flops += 2 * t * b * 2 * top * top * k;
        flops += 2 * top * b * 2 * t * t * k;
        flops += top * b * 2 * t * r.delta() * k;
        for (int l = 0; l <= depth; l++) {
            double n = base.width(l);
            // (b) h network: the input conv, five h→h convs, the fused readouts
            flops += n * b * 2 * r.hInputChannels() * h * k;
            flops += 5 * n * b * 2 * h * h * k;
            flops += n * b * 2 * h * f;
            if (l >= 1) {
                // (c) error signal through V
                flops += 2 * base.width(l - 1) * n * b * r.delta();
            }
        }
        int sets = r.vSharesW() ? 1 : 2;
        double g = r.gradChannels();
        for (int l = 1; l <= depth; l++) {
            double in = base.width(l - 1);
            double out = base.width(l);
            double terms = 2 * b * out * out + 2 * in * out * out + 2 * b * in * out;
            terms += 3 * 2 * in * out * b * g;
            terms += 3 * (2 * out * out * b * g + 2 * in * out * out);
            terms += 2 * (2 * in * in * b * g + 2 * in * in * out);
            terms += 2 * 12 * in * out;
            flops += sets * terms;
        }
        return flops;
    }

    /**
     * @param cfg objective sizes
     * @param base base model shape
     * @return FLOPs of one meta-objective evaluation (labelled forward pass and ridge fit)
     */
    public static double objective(ExperimentConfig cfg, BaseModelConfig base) {
        double rows = cfg.objective().supportSize() + cfg.objective().querySize();
        double d = base.topWidth() + 1;
        double c = cfg.objective().classes();
        double ns = cfg.objective().supportSize();
        return forward(base, rows) + 2 * ns * d * d + 2 * ns * d * c + (2.0 / 3) * d * d * d + 2 * d * d * c
                + 2 * cfg.objective().querySize() * d * c;
    }

    /**
     * @param cfg config
     * @param base base model shape
     * @param steps K
     * @return FLOPs of the meta-gradient of a K-step unroll (3× forward)
     */
    public static double metaGradient(ExperimentConfig cfg, BaseModelConfig base, int steps) {
        return 3 * steps * (innerStep(cfg, base) + objective(cfg, base));
    }

    private static double forward(BaseModelConfig base, double rows) {
        double f = 2 * rows * base.inputWidth() * base.inputWidth();   // the permutation product
        for (int l = 1; l <= base.depth(); l++) {
            f += 2 * rows * base.width(l - 1) * base.width(l);
        }
        return f;
    }
}
