package org.metaunsup.dl4j;

import java.util.ArrayList;
import java.util.List;
import org.metaunsup.basemodel.PhiState;
import org.metaunsup.config.Activation;
import org.metaunsup.export.BaseModel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Fixed batch-norm statistics of a base model over a whole unlabelled data set, for inference.
 *
 * <p>The base model normalises every layer with the statistics of the current minibatch
 * (docs/METHOD.md#base-model): its features depend on which examples share a batch. For a feature extractor
 * DL4J users expect one fixed function, so we take the <i>population</i> statistics: for layer l
 * the mean μ^l and population variance (σ²)^l of a^l = x^{l−1}·W^l over all N examples, where
 * x^{l−1} is itself computed with the population statistics of the layers below. This equals
 * what the base model computes when all N examples form one batch, so with these statistics the
 * exported network reproduces the base model on the full data set exactly.
 *
 * @param mean μ^l [n_l] per layer, float64
 * @param variance (σ²)^l [n_l] per layer, float64 (population variance)
 * @param count N, examples the statistics were taken over
 */
public record PopulationStatistics(List<INDArray> mean, List<INDArray> variance, long count) {

    /** Epsilon of the base model's batch norm (docs/METHOD.md#base-model). */
    public static final double BN_EPS = 1e-6;

    /** Copies the lists. */
    public PopulationStatistics {
        mean = List.copyOf(mean);
        variance = List.copyOf(variance);
    }

    /**
     * Computes the statistics in one pass over the data per layer (streaming: memory is one
     * batch), combining per-batch means and centred sums of squares in float64 (Chan et al.'s
     * pairwise update), so the result matches a single-batch computation to rounding.
     *
     * @param model the trained base model
     * @param data the unlabelled data (reset before each pass; labels ignored)
     * @return the statistics of every layer
     */
    public static PopulationStatistics compute(BaseModel model, DataSetIterator data) {
        List<INDArray> means = new ArrayList<>();
        List<INDArray> vars = new ArrayList<>();
        PhiState p = model.params();
        long count = 0;
        for (int l = 1; l <= p.depth(); l++) {
            data.reset();
            INDArray w = p.w().get(l - 1).castTo(DataType.DOUBLE);
            INDArray mean = null;
            INDArray m2 = null;
            long n = 0;
            while (data.hasNext()) {
                INDArray x = UnlabelledBatches.rows(data.next().getFeatures()).castTo(DataType.DOUBLE);
                if (x.size(0) == 0) {
                    continue;
                }
                INDArray below = forward(model, means, vars, x, l - 1);
                INDArray a = below.mmul(w);
                long nb = a.size(0);
                INDArray mb = a.mean(0);
                INDArray m2b = a.subRowVector(mb).muli(a.subRowVector(mb)).sum(0);
                if (mean == null) {
                    mean = mb;
                    m2 = m2b;
                } else {
                    INDArray delta = mb.sub(mean);
                    double total = n + nb;
                    mean = mean.add(delta.mul(nb / total));
                    m2 = m2.add(m2b).addi(delta.mul(delta).muli((double) n * nb / total));
                }
                n += nb;
            }
            if (n < 2) {
                throw new IllegalArgumentException("population statistics need at least 2 examples, got " + n);
            }
            means.add(mean);
            vars.add(m2.div(n));
            count = n;
        }
        return new PopulationStatistics(means, vars, count);
    }

    /**
     * The base model's forward pass with these fixed statistics (float64), for reference.
     *
     * @param model base model
     * @param x inputs [n, D]
     * @return x^L [n, top]
     */
    public INDArray features(BaseModel model, INDArray x) {
        return forward(model, mean, variance, x.castTo(DataType.DOUBLE), model.params().depth());
    }

    /** x^layers computed with fixed statistics of layers 1..layers. */
    private static INDArray forward(BaseModel model, List<INDArray> means, List<INDArray> vars, INDArray x,
                                    int layers) {
        INDArray h = x;
        PhiState p = model.params();
        for (int l = 1; l <= layers; l++) {
            INDArray a = h.mmul(p.w().get(l - 1).castTo(DataType.DOUBLE));
            INDArray z = a.subRowVector(means.get(l - 1))
                    .diviRowVector(Transforms.sqrt(vars.get(l - 1).add(BN_EPS), true))
                    .addiRowVector(p.b().get(l - 1).castTo(DataType.DOUBLE));
            h = activate(z, model.architecture().activation());
        }
        return h;
    }

    static INDArray activate(INDArray z, Activation act) {
        return switch (act) {
            case RELU -> Transforms.relu(z, true);
            case LEAKY_RELU -> Transforms.leakyRelu(z, 0.01, true);
            case TANH -> Transforms.tanh(z, true);
            case SWISH -> z.mul(Transforms.sigmoid(z, true));
            case STEP -> z.gt(0).castTo(z.dataType());
        };
    }

    /** @return true when every statistic is finite */
    public boolean isFinite() {
        for (List<INDArray> list : List.of(mean, variance)) {
            for (INDArray a : list) {
                if (a.isNaN().any() || a.isInfinite().any()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** @return the statistics of layer l (1-based) as a [2, n_l] array: mean then variance */
    public INDArray layer(int l) {
        return Nd4j.vstack(mean.get(l - 1).reshape(1, -1), variance.get(l - 1).reshape(1, -1));
    }
}
