package org.metaunsup.eval.method;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.metaunsup.basemodel.BaseModelGraph;
import org.metaunsup.basemodel.PhiState;
import org.metaunsup.basemodel.PhiVars;
import org.metaunsup.config.BaseModelConfig;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The base model's representation x^L at given φ, as a small forward-only graph (no rule, no
 * objective), so every method built on the base MLP computes its features the same way: the base
 * model's own forward pass with batch statistics over the rows given.
 */
public final class BaseFeatures {

    private static final String X = "eval_x";
    private static final String TOP = "eval_features";
    private final SameDiff sd = SameDiff.create();
    private final BaseModelConfig base;
    private final DataType dtype;

    /**
     * @param base base model shape
     * @param dtype floating type
     */
    public BaseFeatures(BaseModelConfig base, DataType dtype) {
        this.base = base;
        this.dtype = dtype;
        List<SDVariable> w = new ArrayList<>();
        List<SDVariable> b = new ArrayList<>();
        for (int l = 1; l <= base.depth(); l++) {
            w.add(sd.placeHolder("W" + l, dtype, base.width(l - 1), base.width(l)));
            b.add(sd.placeHolder("b" + l, dtype, base.width(l)));
        }
        SDVariable x = sd.placeHolder(X, dtype, -1, base.inputWidth());
        sd.identity(TOP, BaseModelGraph.forward(sd, new PhiVars(w, w, b), x, base.activation()).top());
    }

    /**
     * @param phi base params (V is not used by the forward pass)
     * @param x inputs [n, D], permuted
     * @return x^L [n, n_L]
     */
    public INDArray features(PhiState phi, INDArray x) {
        if (x.rank() != 2 || x.size(1) != base.inputWidth()) {
            throw new IllegalArgumentException("inputs " + Arrays.toString(x.shape())
                    + " do not fit a base model with input width " + base.inputWidth());
        }
        Map<String, INDArray> ph = new HashMap<>();
        for (int l = 1; l <= base.depth(); l++) {
            ph.put("W" + l, phi.w().get(l - 1).castTo(dtype));
            ph.put("b" + l, phi.b().get(l - 1).castTo(dtype));
        }
        ph.put(X, x.castTo(dtype));
        return sd.output(ph, TOP).get(TOP);
    }
}
