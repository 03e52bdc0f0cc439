package org.metaunsup.rule;

import org.metaunsup.ops.GraphOps;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv1DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;

/**
 * The building blocks the rule's networks share: convolution along the middle axis of a
 * [sequences, length, channels] tensor and the rule's batch norm. Only ops whose gradients
 * our finite-difference tests check are used.
 */
final class RuleOps {

    /** Epsilon of every batch norm inside the rule (docs/METHOD.md#rule). */
    static final double BN_EPS = 1e-3;

    private final SameDiff sd;
    private final ThetaGraph theta;
    private final boolean differentiated;

    /**
     * @param theta θ in the graph
     * @param differentiated whether the graph gets a backward pass (then the ReLU is
     *     {@link GraphOps#relu}, whose backward is cheap; otherwise the stock relu, one op
     *     instead of three)
     */
    RuleOps(ThetaGraph theta, boolean differentiated) {
        this.sd = theta.sameDiff();
        this.theta = theta;
        this.differentiated = differentiated;
    }

    /**
     * 1-D convolution along axis 1 of x [sequences, length, in] with SAME padding, stride 1 and
     * bias; every index of axis 0 is an independent sequence.
     */
    SDVariable conv(SDVariable x, String block, int kernel) {
        Conv1DConfig cfg = Conv1DConfig.builder().k(kernel).s(1).p(0).d(1)
                .paddingMode(PaddingMode.SAME).dataFormat("NWC").build();
        return sd.cnn().conv1d(x, theta.kernel(block), theta.var(block + ".b"), cfg);
    }

    /**
     * Batch norm of the rule: each channel (last axis) normalised over axes 0 and 1 with the
     * current statistics, eps 1e-3, learned offset, no scale.
     */
    SDVariable bn(SDVariable x, SDVariable offset) {
        SDVariable centred = x.sub(x.mean(true, 0, 1));
        SDVariable var = GraphOps.square(centred).mean(true, 0, 1);
        return GraphOps.scale(centred, sd.math().rsqrt(var.add(BN_EPS)), 0, 1).add(offset);
    }

    /** conv → BN (offset {@code block.bn}) → ReLU. */
    SDVariable convBnRelu(SDVariable x, String block, int kernel) {
        SDVariable z = bn(conv(x, block, kernel), theta.var(block + ".bn"));
        // Equal values either way (the gate gives −0 where the stock op gives +0).
        return differentiated ? GraphOps.relu(z) : sd.nn().relu(z, 0.0);
    }
}
