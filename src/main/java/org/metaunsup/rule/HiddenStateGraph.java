package org.metaunsup.rule;

import java.util.HashMap;
import java.util.Map;
import org.metaunsup.ops.GraphOps;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * (b) The per-layer hidden state h^l [units, batch, h] (docs/METHOD.md#rule-hidden-state,
 * #numerics): per unit and
 * example the channels are 8 normalised weight statistics and the bias (broadcast over the
 * batch), then the batch-normed group x, z, sin(u), cos(u), d; two conv → BN → ReLU → UnitMix
 * blocks follow, where UnitMix is a residual block convolving along the unit axis.
 */
final class HiddenStateGraph {

    private final SameDiff sd;
    private final ThetaGraph theta;
    private final RuleOps ops;
    private final int kernel;
    private final DataType dtype;
    private final Map<String, SDVariable> constants = new HashMap<>();

    private final LayerWidths widths;

    HiddenStateGraph(ThetaGraph theta, RuleOps ops, DataType dtype, LayerWidths widths) {
        this.widths = widths;
        this.sd = theta.sameDiff();
        this.theta = theta;
        this.ops = ops;
        this.kernel = theta.spec().rule().kernel();
        this.dtype = dtype;
    }

    /**
     * @param x post-activation [B, n]
     * @param z pre-activation [B, n] (x itself for the input layer)
     * @param d incoming error signal [n, B, d]
     * @param bias b^l [n], or null for the input layer (bias 0)
     * @param wIn incoming W^l [n_{l−1}, n], or null for the input layer
     * @param wOut outgoing W^{l+1} [n, n_{l+1}], or null for the top layer
     * @param layer l (its width n may be free, {@link LayerWidths})
     * @param batch B
     * @return h [n, B, h]
     */
    SDVariable build(SDVariable x, SDVariable z, SDVariable d, SDVariable bias, SDVariable wIn,
                     SDVariable wOut, int layer, int batch) {
        SDVariable xz = sd.permute(sd.stack(0, x, z), 2, 1, 0);                   // [n, B, 2]
        SDVariable group = sd.concat(2, xz, widths.unitCode(sd, layer, batch, dtype), d);   // [n, B, 4+d]
        group = ops.bn(group, theta.var("h.in.bn"));

        SDVariable stats = weightStats(wIn, wOut);                               // [n, 8]
        SDVariable b = bias == null ? zeros(Math.toIntExact(widths.dim(layer)))
                : sd.reshape(bias, widths.dim(layer), 1);
        SDVariable perUnit = sd.expandDims(sd.concat(1, stats, b), 1);          // [n, 1, 9]
        perUnit = perUnit.mul(ones(batch));                                      // [n, B, 9]

        SDVariable h = sd.concat(2, perUnit, group);
        h = ops.convBnRelu(h, "h.c0", kernel);
        h = unitMix(h, "h.mix0");
        h = ops.convBnRelu(h, "h.c1", kernel);
        return unitMix(h, "h.mix1");
    }

    /** Residual block whose two convolutions run along the unit axis. */
    private SDVariable unitMix(SDVariable h, String block) {
        SDVariable t = sd.permute(h, 1, 0, 2);                                   // [B, n, h]
        t = ops.convBnRelu(t, block + ".c0", kernel);
        t = ops.convBnRelu(t, block + ".c1", kernel);
        return h.add(sd.permute(t, 1, 0, 2));
    }

    /**
     * The 8 weight statistics per unit — incoming mean|w|, RMS, mean, std over the fan-in, then
     * the same of the outgoing matrix over the fan-out (an edge layer repeats the set it has) —
     * divided by their common RMS (one scalar).
     */
    private SDVariable weightStats(SDVariable wIn, SDVariable wOut) {
        SDVariable in = wIn == null ? null : stats(wIn, 0);
        SDVariable out = wOut == null ? null : stats(wOut, 1);
        SDVariable s = sd.concat(1, in == null ? out : in, out == null ? in : out);   // [n, 8]
        // Multiply by rsqrt: the stock div by a rank-0 variable has a wrong gradient (see
        // StockOpGradientTest).
        return s.mul(sd.math().rsqrt(GraphOps.square(s).mean().add(1e-6)));
    }

    /** mean|w|, √(mean w² + 1e-6), mean, √(var + 1e-8) over one axis, as [n, 4]. */
    private SDVariable stats(SDVariable w, int axis) {
        SDVariable meanAbs = sd.math().abs(w).mean(axis);
        SDVariable rms = sd.math().sqrt(GraphOps.square(w).mean(axis).add(1e-6));
        SDVariable mean = w.mean(true, axis);
        SDVariable std = sd.math().sqrt(GraphOps.square(w.sub(mean)).mean(axis).add(1e-8));
        return sd.stack(1, meanAbs, rms, sd.squeeze(mean, axis), std);
    }

    private SDVariable ones(int batch) {
        return constants.computeIfAbsent("ones_1x" + batch + "x1",
                name -> sd.constant(name, Nd4j.ones(dtype, 1, batch, 1)));
    }

    private SDVariable zeros(int units) {
        return constants.computeIfAbsent("zeros_" + units + "x1",
                name -> sd.constant(name, Nd4j.zeros(dtype, units, 1)));
    }
}
