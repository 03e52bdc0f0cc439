package org.metaunsup.export;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.metaunsup.config.ConfigLoader;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.rule.Theta;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Seeded θ, cards and unlabelled batches for export tests (no global RNG). */
final class ExportFixture {

    private ExportFixture() {}

    /** @return {@code tiny} with η = 0.05, so that one inner step visibly changes φ */
    static ExperimentConfig tiny() {
        Map<String, String> props = new HashMap<>(ConfigLoader.load("tiny").toProperties());
        props.put("inner.eta", "0.05");
        return ConfigLoader.resolve("tiny", props);
    }

    /** @return meta-initialised θ of {@link #tiny()} in float64 */
    static Theta theta(long seed) {
        return CoreAdapter.initTheta(tiny(), seed, DataType.DOUBLE);
    }

    /** @return a card for {@link #tiny()} with fixed provenance fields */
    static ThetaCard card(long outerStep) {
        return ThetaCard.of(tiny(), outerStep, Map.of("run", 5L, "theta_init", 11L),
                Map.of("alphabet/train-images", "md5:0123456789abcdef"));
    }

    /** @return pixels uniform in [0, 1) */
    static INDArray uniform(long seed, int rows, int cols) {
        Random rnd = new Random(seed);
        INDArray a = Nd4j.create(DataType.DOUBLE, rows, cols);
        for (long i = 0; i < a.length(); i++) {
            a.putScalar(i, rnd.nextDouble());
        }
        return a;
    }
}
