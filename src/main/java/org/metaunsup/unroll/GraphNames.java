package org.metaunsup.unroll;

/**
 * The one place that names graph inputs and outputs, so that callers and tests address them
 * by name. Names follow the trace vocabulary of docs/METHOD.md#canonical-names.
 */
public final class GraphNames {

    private GraphNames() {}

    /** @return placeholder of W^l before the unroll */
    public static String phiW(int l) {
        return "phi/W" + l;
    }

    /** @return placeholder of V^l before the unroll */
    public static String phiV(int l) {
        return "phi/V" + l;
    }

    /** @return placeholder of b^l before the unroll */
    public static String phiB(int l) {
        return "phi/b" + l;
    }

    /** Placeholder of the one-hot input permutation matrix [D, D]. */
    public static final String PERM = "input/perm_matrix";

    /** @return placeholder of the unlabelled batch of inner step t, [B, D], unpermuted */
    public static String unlabelled(int t) {
        return "input/x" + t;
    }

    /** Placeholder of the labelled inputs, support rows then query rows, unpermuted. */
    public static final String LABELLED_X = "input/labelled_x";
    /** Placeholder of the one-hot support labels [nS, C]. */
    public static final String SUPPORT_Y = "input/support_y";
    /** Placeholder of the one-hot query labels [nQ, C]. */
    public static final String QUERY_Y = "input/query_y";

    /** @return output: a base param after the unroll, e.g. {@code unroll/phi/W1} */
    public static String outPhi(String param) {
        return "unroll/phi/" + param;
    }

    /** Output: the summed meta-loss. */
    public static final String META_LOSS = "unroll/meta_loss";

    /** @return output: the meta-loss after inner step t */
    public static String stepLoss(int t) {
        return String.format("unroll/t%02d/meta_loss", t);
    }

    /** @return output: support accuracy of the ridge readout after inner step t */
    public static String stepSupportAccuracy(int t) {
        return String.format("unroll/t%02d/support_accuracy", t);
    }

    /** @return output: query accuracy of the ridge readout after inner step t */
    public static String stepQueryAccuracy(int t) {
        return String.format("unroll/t%02d/query_accuracy", t);
    }

    /** @return the name scope of inner step t */
    public static String stepScope(int t) {
        return String.format("unroll/t%02d", t);
    }
}
