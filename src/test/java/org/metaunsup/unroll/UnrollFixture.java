package org.metaunsup.unroll;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import org.metaunsup.basemodel.PhiState;
import org.metaunsup.config.Activation;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.ConfigLoader;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.rule.ThetaSpec;
import org.metaunsup.testing.TestArrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Seeded configs and truncation inputs for unroll-graph tests (no global RNG involved). */
final class UnrollFixture {

    private UnrollFixture() {}

    /**
     * @param eta inner step size replacing the config's
     * @return the {@code tiny} config with that η
     */
    static ExperimentConfig tiny(double eta) {
        Map<String, String> props = new HashMap<>(ConfigLoader.load("tiny").toProperties());
        props.put("inner.eta", Double.toString(eta));
        return ConfigLoader.resolve("tiny", props);
    }

    /**
     * @param widths n_0 … n_L
     * @return a ReLU base model of these widths
     */
    static BaseModelConfig base(int... widths) {
        return new BaseModelConfig(widths, Activation.RELU);
    }

    /**
     * @param cfg config (rule, objective, batch)
     * @param base base model
     * @return the θ tensor list for this rule and the base model's top width
     */
    static ThetaSpec spec(ExperimentConfig cfg, BaseModelConfig base) {
        return new ThetaSpec(cfg.rule(), base.topWidth());
    }

    /**
     * Random inputs of a truncation: φ₀ from {@link PhiState#init}, a random permutation,
     * pixels uniform in [0, 1), balanced labels.
     *
     * @param cfg config (batch, objective sizes)
     * @param base base model
     * @param steps K
     * @param seed seed of everything drawn
     * @return the inputs
     */
    static TruncationInputs inputs(ExperimentConfig cfg, BaseModelConfig base, int steps, long seed) {
        Random rnd = new Random(seed);
        int d = base.inputWidth();
        List<INDArray> xs = new ArrayList<>();
        for (int t = 0; t < steps; t++) {
            xs.add(uniform(rnd, cfg.innerBatch(), d));
        }
        int c = cfg.objective().classes();
        int nS = cfg.objective().supportSize();
        int nQ = cfg.objective().querySize();
        return new TruncationInputs(PhiState.init(base, seed + 1, DataType.DOUBLE),
                Permutation.random(d, new SplittableRandom(seed + 2)), xs, uniform(rnd, nS, d),
                TestArrays.balancedClasses(rnd, nS, c), uniform(rnd, nQ, d),
                TestArrays.balancedClasses(rnd, nQ, c), c);
    }

    static INDArray uniform(Random rnd, long rows, long cols) {
        INDArray a = Nd4j.create(DataType.DOUBLE, rows, cols);
        for (long i = 0; i < a.length(); i++) {
            a.putScalar(i, rnd.nextDouble());
        }
        return a;
    }

    /**
     * @param spec θ tensor list
     * @return the graph names ({@code theta/<block>.b}) of the biases of convolutions that are
     *     immediately followed by a batch norm: the norm removes any per-channel constant, so
     *     their gradient is zero whatever the inputs
     */
    static List<String> biasesBeforeBatchNorm(ThetaSpec spec) {
        List<String> out = new ArrayList<>();
        for (ThetaSpec.Tensor t : spec.tensors()) {
            if (t.name().endsWith(".bn") && !t.name().equals("h.in.bn")) {
                out.add("theta/" + t.name().substring(0, t.name().length() - 3) + ".b");
            }
        }
        return out;
    }

    /**
     * @param a array
     * @return max |entry|
     */
    static double maxAbs(INDArray a) {
        return a.amaxNumber().doubleValue();
    }

    /**
     * @param a array
     * @return whether every entry is finite
     */
    static boolean finite(INDArray a) {
        return !a.isNaN().any() && !a.isInfinite().any();
    }
}
