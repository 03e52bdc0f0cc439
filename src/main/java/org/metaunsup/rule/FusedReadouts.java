package org.metaunsup.rule;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Every per-unit linear map of one layer's h — the readouts of terms 5–12, the δ map and the
 * bias map — computed by a single matrix product with the fused θ matrix, then sliced. (Not
 * {@code eval.Readouts}, which scores features with the ridge and logistic readouts.)
 */
final class FusedReadouts {

    private final SameDiff sd;
    private final ThetaGraph theta;
    private final SDVariable all;   // [n, B, fusedWidth]
    private final int layer;
    private final long units;
    private final int batch;

    /**
     * @param units n, or −1 when the layer's width is free (every shape below then takes it from h)
     */
    FusedReadouts(ThetaGraph theta, SDVariable h, int layer, long units, int batch) {
        this.sd = theta.sameDiff();
        this.theta = theta;
        this.layer = layer;
        this.units = units;
        this.batch = batch;
        int hidden = theta.spec().rule().hidden();
        SDVariable flat = sd.mmul(sd.reshape(h, units < 0 ? -1 : units * batch, hidden), theta.fusedWeights())
                .add(theta.fusedBias());
        this.all = sd.reshape(flat, units, batch, theta.fusedWidth());
    }

    /** Columns [offset, offset+width) of the fused output, [n, B, width]. */
    SDVariable columns(String map, int width) {
        return sd.slice(all, new int[] {0, 0, theta.fusedOffset(map)}, Math.toIntExact(units), batch, width);
    }

    /** A readout map laid out [n, B·g] so that R = lower · upperᵀ is one matrix product. */
    SDVariable map(String map) {
        int g = theta.spec().rule().gradChannels();
        return sd.reshape(columns(map, g), units, (long) batch * g);
    }

    /** @return n, or −1 when free */
    long units() {
        return units;
    }

    /** @return the layer index l */
    int layer() {
        return layer;
    }
}
