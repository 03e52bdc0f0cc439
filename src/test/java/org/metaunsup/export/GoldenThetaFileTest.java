package org.metaunsup.export;


import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.metaunsup.basemodel.PhiState;
import org.metaunsup.config.Activation;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.io.Npy;
import org.metaunsup.testing.DoublePrecision;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The committed θ file (written by {@link GoldenThetaFile}) still loads and reproduces its
 * stored outputs: a change of the file format, of the card, of θ naming or of the rule's
 * numerics shows up here.
 */
@ExtendWith(DoublePrecision.class)
class GoldenThetaFileTest {

    private static final double TOL = 1e-10;

    @Test
    void committedThetaFileLoadsAndReproducesItsOutputs() throws Exception {
        Path dir = Path.of(getClass().getResource("/golden/theta-tiny/rule.theta.fb").toURI()).getParent();
        LearnedRule rule = LearnedRule.load(dir.resolve("rule.theta.fb"));
        ThetaCard card = rule.card();
        assertEquals(ThetaCard.FORMAT, card.format());
        assertEquals(1, card.formatVersion());
        assertEquals("tiny", card.config());
        assertEquals(12, card.outerStep());
        assertEquals(4, card.topUnits());
        assertEquals(0.05, card.eta());
        assertEquals(8, card.innerBatch());
        assertEquals("relu", card.activation());
        assertEquals(8, card.rule().hidden());
        assertEquals("DOUBLE", card.dtype());
        assertEquals(72, rule.theta().values().size());

        BaseModelConfig arch = new BaseModelConfig(GoldenThetaFile.ARCH, Activation.RELU);
        PhiState phi0 = GoldenThetaFile.read(dir, "phi0", 3);
        LearnedRule.Trainer t = rule.trainer(arch, phi0, DataType.DOUBLE);
        t.step(Npy.read(dir.resolve("x0.npy"), DataType.DOUBLE));
        BaseModel m = t.step(Npy.read(dir.resolve("x1.npy"), DataType.DOUBLE));
        PhiState expected = GoldenThetaFile.read(dir, "phi2", 3);
        for (int l = 0; l < 3; l++) {
            close(expected.w().get(l), m.params().w().get(l), "W" + (l + 1));
            close(expected.v().get(l), m.params().v().get(l), "V" + (l + 1));
            close(expected.b().get(l), m.params().b().get(l), "b" + (l + 1));
        }
        close(Npy.read(dir.resolve("features.npy"), DataType.DOUBLE),
                m.features(Npy.read(dir.resolve("xe.npy"), DataType.DOUBLE)), "features");
    }

    private static void close(INDArray expected, INDArray actual, String what) {
        assertEquals(Arrays.toString(expected.shape()), Arrays.toString(actual.shape()), what);
        double scale = Math.max(1e-30, expected.amaxNumber().doubleValue());
        double rel = expected.sub(actual).amaxNumber().doubleValue() / scale;
        assertTrue(rel <= TOL, what + " differs from the golden file by " + rel + " relative");
    }
}
