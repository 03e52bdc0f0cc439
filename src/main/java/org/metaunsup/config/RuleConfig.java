package org.metaunsup.config;

/**
 * Widths of the learned update rule (docs/METHOD.md#rule). A trained θ is tied to these and to the
 * base model's top width (the top-down network mixes all top units).
 *
 * @param hidden h, channels of the per-layer hidden state
 * @param delta d, channels of the error signal
 * @param topWidth channels of the top-down network
 * @param gradChannels g, channels of each low-rank readout
 * @param topKernel kernel of the first top-down convolution (5 in the paper)
 * @param kernel kernel of every other convolution (3 in the paper)
 * @param vSharesW whether V receives W's change (true) or has its own mix and readouts
 */
public record RuleConfig(int hidden, int delta, int topWidth, int gradChannels, int topKernel,
                         int kernel, boolean vSharesW) {

    public RuleConfig {
        if (hidden < 1 || delta < 1 || topWidth < 1 || gradChannels < 1) {
            throw new IllegalArgumentException("rule widths must be positive");
        }
        if (topKernel % 2 == 0 || kernel % 2 == 0) {
            throw new IllegalArgumentException("kernels must be odd so that SAME padding is symmetric");
        }
    }

    /** @return channels of the batch-normed input group of the h network: x, z, sin, cos, d */
    public int hInputGroup() {
        return 4 + delta;
    }

    /** @return all input channels of the h network: 8 weight statistics, bias, the group */
    public int hInputChannels() {
        return 9 + hInputGroup();
    }
}
