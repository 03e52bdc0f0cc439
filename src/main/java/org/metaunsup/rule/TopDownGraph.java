package org.metaunsup.rule;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * (a) The top-down network: turns the top activations x^L [batch, n_L] into the error signal
 * d^L [n_L, batch, d] (docs/METHOD.md#rule-top-down). Convolutions run along the batch; the two middle blocks
 * swap units and channels so that they mix all top units.
 */
final class TopDownGraph {

    private final SameDiff sd;
    private final RuleOps ops;
    private final int topKernel;
    private final int kernel;

    TopDownGraph(ThetaGraph theta, RuleOps ops) {
        this.sd = theta.sameDiff();
        this.ops = ops;
        this.topKernel = theta.spec().rule().topKernel();
        this.kernel = theta.spec().rule().kernel();
    }

    SDVariable build(SDVariable xTop) {
        SDVariable t = sd.expandDims(sd.transpose(xTop), 2);              // [n_L, B, 1]
        t = ops.convBnRelu(t, "top.c0", topKernel);                       // [n_L, B, T]
        t = sd.permute(t, 2, 1, 0);                                       // [T, B, n_L]
        t = ops.convBnRelu(t, "top.mix1", kernel);
        t = ops.convBnRelu(t, "top.mix2", kernel);
        t = sd.permute(t, 2, 1, 0);                                       // [n_L, B, T]
        t = ops.convBnRelu(t, "top.c1", kernel);
        t = ops.convBnRelu(t, "top.c2", kernel);
        return ops.conv(t, "top.out", kernel);                            // [n_L, B, d]
    }
}
