package org.metaunsup.export;

import org.metaunsup.basemodel.PhiState;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.metaunsup.config.Activation;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.testing.DoublePrecision;
import org.metaunsup.testing.FreshJvm;
import org.metaunsup.unroll.GraphNames;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A θ file written by this JVM, read by a fresh one: plain SameDiff sees every θ tensor and its
 * stored inner step gives bit-identical φ; the loading API gives bit-identical φ after one step
 * and identical features.
 */
@ExtendWith(DoublePrecision.class)
class ThetaFileFreshJvmTest {

    @Test
    void freshJvmReadsTheFileBothWaysWithIdenticalResults(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("rule.theta.fb");
        ThetaCard card = ThetaFile.write(file, ExportFixture.theta(21), ExportFixture.card(12));
        LearnedRule rule = LearnedRule.load(file);
        BaseModelConfig arch = new BaseModelConfig(card.architecture(), Activation.RELU);
        LearnedRule.Trainer t = rule.trainer(arch, 7, DataType.DOUBLE);
        PhiState phi0 = t.model().params();
        INDArray x = ExportFixture.uniform(1, rule.innerBatch(), arch.inputWidth());
        INDArray xe = ExportFixture.uniform(2, 30, arch.inputWidth());
        BaseModel m = t.step(x);
        INDArray features = m.features(xe);

        Path dir = Files.createDirectories(tmp.resolve("exchange"));
        Map<String, INDArray> ph = CoreAdapter.stepGraph(ExportFixture.tiny(), arch, ExportFixture.theta(21),
                DataType.DOUBLE).placeholders(phi0, x);
        FreshJvm.writePlaceholders(dir, ph);
        Nd4j.saveBinary(x, dir.resolve("x.bin").toFile());
        Nd4j.saveBinary(xe, dir.resolve("xe.bin").toFile());
        FreshJvm.Result r = FreshJvm.runMain(ThetaFileProbe.class, file.toString(), dir.toString());
        assertEquals(0, r.exitCode(), "probe failed:\n" + r.output());

        List<String> plainTheta = Files.readAllLines(dir.resolve("plain-theta.txt"));
        assertEquals(rule.theta().values().size(), plainTheta.size(), "plain SameDiff sees every theta tensor");
        assertTrue(plainTheta.contains("theta/top.mix1.w [4, 4, 3]"), plainTheta.toString());
        for (int l = 1; l <= arch.depth(); l++) {
            for (String p : List.of("W", "V", "b")) {
                INDArray mine = (p.equals("W") ? m.params().w() : p.equals("V") ? m.params().v() : m.params().b())
                        .get(l - 1);
                assertEquals(mine, FreshJvm.output(dir, GraphNames.outPhi(p + l)), "plain " + p + l);
                assertEquals(mine, Nd4j.readBinary(dir.resolve("api-" + p + l + ".bin").toFile()), "api " + p + l);
            }
        }
        assertEquals(features, Nd4j.readBinary(dir.resolve("api-features.bin").toFile()));
        assertEquals(card, ThetaCard.fromJson(Files.readString(dir.resolve("card.json"))));
    }
}
