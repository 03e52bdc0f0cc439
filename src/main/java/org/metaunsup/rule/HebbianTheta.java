package org.metaunsup.rule;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The hand-designed meta-initialisation: a θ under which the rule's update is a known learner, a
 * Hebbian term with an anti-Hebbian decorrelation term in the manner of Oja's subspace rule
 * (docs/METHOD.md#hand-init has the derivation and what differs from Oja's rule).
 *
 * <p>Starting from any θ of the spec (normally the meta-initialised one, so that every other
 * tensor keeps its random value and the networks stay trainable), it sets the mix of every update
 * set to {@code decorrelation} on term 3, {@code hebbian} on term 4 and 0 on the other ten terms,
 * the mix bias to 0, and the bias map (h → 1) to 0. Then, in one inner step, the hidden states h,
 * the top-down signal and the error signals reach nothing: the readout terms 5–12 enter with
 * weight 0 and the bias direction is 0. What is left is a function of W, the lower and the upper
 * activations alone (docs/METHOD.md#hand-init, equation H):
 * W ← (1 − η)W − η·(N(m′) − ŵ/7) with m = (α·N(D) − β·N(H))/12 and the rule's projection.
 *
 * <p>The readout maps are left at their values on purpose: R = lower·upperᵀ is bilinear in the
 * two maps, so zero maps would be a saddle that meta-training could never leave.
 */
public final class HebbianTheta {

    /** Weight of the Hebbian term (term 4) chosen on the glyph validation scripts (docs/METHOD.md#hand-init). */
    public static final double HEBBIAN = 1.0;
    /** Weight of the decorrelation term (term 3) chosen on the glyph validation scripts. */
    public static final double DECORRELATION = 0.25;

    /** Index (0-based) of term 3, decorrelation, in the mix. */
    static final int DECORRELATION_TERM = 2;
    /** Index (0-based) of term 4, Hebbian, in the mix. */
    static final int HEBBIAN_TERM = 3;

    private HebbianTheta() {}

    /**
     * The hand-designed θ with the chosen weights, every other tensor from the
     * meta-initialisation of {@code seed} (docs/METHOD.md#theta-init).
     *
     * @param spec the tensor list
     * @param seed seed of the meta-initialisation the other tensors come from
     * @param dtype array type
     * @return θ
     */
    public static Theta init(ThetaSpec spec, long seed, DataType dtype) {
        return of(Theta.init(spec, seed, dtype), HEBBIAN, DECORRELATION);
    }

    /**
     * @param base θ whose other tensors are kept (not changed: a copy is returned)
     * @param hebbian β, the mix weight of term 4 (Hebbian); &gt; 0 strengthens co-active pairs
     * @param decorrelation α, the mix weight of term 3 (decorrelation); &gt; 0 pushes the units of
     *     a layer apart
     * @return the hand-designed θ, in base's type
     * @throws IllegalArgumentException when a weight is not finite
     */
    public static Theta of(Theta base, double hebbian, double decorrelation) {
        if (!Double.isFinite(hebbian) || !Double.isFinite(decorrelation)) {
            throw new IllegalArgumentException("hebbian and decorrelation weights must be finite");
        }
        Theta t = base.copy(base.dataType());
        List<String> sets = t.spec().rule().vSharesW() ? List.of("W") : List.of("W", "V");
        for (String set : sets) {
            INDArray mix = t.get(set + ".mix.w");
            mix.assign(0.0);
            mix.putScalar(DECORRELATION_TERM, decorrelation);
            mix.putScalar(HEBBIAN_TERM, hebbian);
            t.get(set + ".mix.b").assign(0.0);
        }
        t.get("bias.w").assign(0.0);
        t.get("bias.b").assign(0.0);
        return t;
    }
}
