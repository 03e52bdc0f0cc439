package org.metaunsup.export;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.metaunsup.basemodel.PhiState;
import org.metaunsup.config.BaseModelConfig;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A base model trained with a learned rule: its shape, its parameters and how many inner steps
 * made it. Its features are x^L of docs/METHOD.md#base-model; with batch statistics they depend on the batch
 * ({@link #features}); {@code dl4j.PopulationStatistics} fixes them for inference.
 *
 * @param architecture widths n_0 … n_L and activation
 * @param params φ after training
 * @param innerSteps inner steps applied
 */
public record BaseModel(BaseModelConfig architecture, PhiState params, int innerSteps) {

    /** Checks that the parameters have the architecture's shapes. */
    public BaseModel {
        if (params.depth() != architecture.depth()) {
            throw new IllegalArgumentException("params have " + params.depth() + " layers, architecture "
                    + architecture.describe());
        }
        for (int l = 1; l <= architecture.depth(); l++) {
            long[] wShape = params.w().get(l - 1).shape();
            if (wShape.length != 2 || wShape[0] != architecture.width(l - 1) || wShape[1] != architecture.width(l)) {
                throw new IllegalArgumentException("W" + l + " has shape " + Arrays.toString(wShape)
                        + ", architecture " + architecture.describe());
            }
        }
    }

    /**
     * Features with batch statistics: every layer's BN normalises with the mean and variance of
     * these rows, exactly as the rule and the meta-objective see the model.
     *
     * @param x inputs [n, D] in [0, 1], n ≥ 2
     * @return x^L [n, top width], in the type of x
     */
    public INDArray features(INDArray x) {
        return CoreAdapter.forwardGraph(architecture, x.dataType()).features(params, x);
    }

    /**
     * Features with batch statistics, batch by batch: rows {@code [i·batch, (i+1)·batch)} are
     * normalised together (the last batch may be smaller, and must hold at least 2 rows).
     *
     * @param x inputs [n, D]
     * @param batch rows per batch
     * @return x^L [n, top width]
     */
    public INDArray features(INDArray x, int batch) {
        CoreAdapter.ForwardGraph g = CoreAdapter.forwardGraph(architecture, x.dataType());
        List<INDArray> parts = new ArrayList<>();
        for (long i = 0; i < x.size(0); i += batch) {
            long end = Math.min(x.size(0), i + batch);
            parts.add(g.features(params, x.get(NDArrayIndex.interval(i, end),
                    NDArrayIndex.all())));
        }
        return Nd4j.concat(0, parts.toArray(new INDArray[0]));
    }
}
