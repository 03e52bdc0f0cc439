package org.metaunsup.export;

import org.metaunsup.basemodel.PhiState;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.metaunsup.BadInputException;
import org.metaunsup.config.Activation;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.rule.Theta;
import org.metaunsup.testing.DoublePrecision;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** θ files: round trip in one JVM, the stored one-step graph, atomic writes, every bad file. */
@ExtendWith(DoublePrecision.class)
class ThetaFileTest {

    @TempDir
    Path tmp;

    private Path written(long seed) throws Exception {
        Path f = tmp.resolve("rule" + seed + ThetaFile.EXTENSION);
        ThetaFile.write(f, ExportFixture.theta(seed), ExportFixture.card(3));
        return f;
    }

    @Test
    void roundTripKeepsThetaExactlyAndTheCard() throws Exception {
        Theta theta = ExportFixture.theta(1);
        Path f = tmp.resolve("sub/rule.theta.fb");
        ThetaCard written = ThetaFile.write(f, theta, ExportFixture.card(3));
        ThetaFile.Contents c = ThetaFile.read(f);
        assertEquals(written, c.card());
        assertEquals(3, c.card().outerStep());
        assertEquals(4, c.card().topUnits());
        assertEquals("DOUBLE", c.card().dtype());
        assertTrue(Arrays.equals(new int[] {16, 6, 5, 4}, c.card().architecture()));
        assertEquals(Map.of("run", 5L, "theta_init", 11L), c.card().seeds());
        assertEquals(64, c.card().thetaSha256().length());
        assertEquals(theta.values().keySet(), c.theta().values().keySet());
        for (String k : theta.values().keySet()) {
            assertEquals(theta.get(k), c.theta().get(k), k);
        }
        try (var files = Files.list(f.getParent())) {
            assertEquals(1, files.count(), "no temp file left beside the theta file");
        }
        // Replacing an existing file works and the reader sees the new one.
        ThetaFile.write(f, ExportFixture.theta(2), ExportFixture.card(4));
        assertEquals(4, ThetaFile.readCard(f).outerStep());
    }

    @Test
    void cardJsonRoundTrips() throws Exception {
        ThetaCard c = ExportFixture.card(9).withContent(new int[] {16, 6, 4}, "FLOAT", "ab");
        assertEquals(c, ThetaCard.fromJson(c.toJson()));
        assertTrue(c.toJson().contains("\"top_units\" : 4"), c.toJson());
        assertEquals("tiny", c.toConfig().name());
        assertEquals(0.05, c.toConfig().eta());
    }

    @Test
    void storedGraphIsOneInnerStepThatTheLoadingApiReproduces() throws Exception {
        Path f = written(1);
        LearnedRule rule = LearnedRule.load(f);
        BaseModelConfig arch = new BaseModelConfig(rule.card().architecture(), Activation.RELU);
        LearnedRule.Trainer t = rule.trainer(arch, 7, DataType.DOUBLE);
        PhiState phi0 = t.model().params();
        INDArray x = ExportFixture.uniform(3, rule.innerBatch(), 16);
        PhiState phi1 = t.step(x).params();

        SameDiff plain = SameDiff.fromFlatFile(f.toFile());
        CoreAdapter.StepGraph names = CoreAdapter.stepGraph(ExportFixture.tiny(), arch, ExportFixture.theta(1),
                DataType.DOUBLE);
        Map<String, INDArray> out = plain.output(names.placeholders(phi0, x), names.outputs());
        PhiState stored = names.phiFrom(out);
        for (int l = 0; l < arch.depth(); l++) {
            assertEquals(phi1.w().get(l), stored.w().get(l), "W" + (l + 1));
            assertEquals(phi1.v().get(l), stored.v().get(l), "V" + (l + 1));
            assertEquals(phi1.b().get(l), stored.b().get(l), "b" + (l + 1));
            assertTrue(phi1.w().get(l).sub(phi0.w().get(l)).amaxNumber().doubleValue() > 1e-6, "the step moves W");
        }
    }

    @Test
    void anyArchitectureWithTheTopWidthTrains_otherTopWidthsAreRejected() throws Exception {
        LearnedRule rule = LearnedRule.load(written(1));
        BaseModelConfig deeper = new BaseModelConfig(new int[] {9, 12, 7, 3, 4}, Activation.TANH);
        LearnedRule.Trainer t = rule.trainer(deeper, 1, DataType.DOUBLE);
        BaseModel m = t.step(ExportFixture.uniform(4, rule.innerBatch(), 9));
        assertEquals(1, m.innerSteps());
        assertTrue(m.params().isFinite());
        INDArray feats = m.features(ExportFixture.uniform(5, 20, 9));
        assertTrue(Arrays.equals(new long[] {20, 4}, feats.shape()));

        BadInputException e = assertThrows(BadInputException.class,
                () -> rule.trainer(new BaseModelConfig(new int[] {16, 6, 5}, Activation.RELU), 1));
        assertTrue(e.getMessage().contains("top width 4") && e.getMessage().contains("has top width 5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> t.step(ExportFixture.uniform(4, 3, 9)));
    }

    @Test
    void missingTruncatedAndForeignFilesAreOneLineBadInput() throws Exception {
        Path good = written(1);
        byte[] bytes = Files.readAllBytes(good);
        assertBad(tmp.resolve("nope.theta.fb"), "no such theta file");
        for (double frac : new double[] {0.0, 0.001, 0.3, 0.7, 0.97, 0.9999}) {
            Path cut = tmp.resolve("cut-" + frac + ".theta.fb");
            Files.write(cut, Arrays.copyOf(bytes, (int) (bytes.length * frac)));
            assertBad(cut, "truncated or not a SameDiff FlatBuffers file");
        }
        Path text = tmp.resolve("text.theta.fb");
        Files.writeString(text, "{\"format\": \"metaunsup-theta\"}\n".repeat(20));
        assertBad(text, "truncated or not a SameDiff FlatBuffers file");
        Path foreign = tmp.resolve("foreign.fb");
        SameDiff sd = SameDiff.create();
        sd.var("w", Nd4j.ones(DataType.DOUBLE, 3, 3));
        sd.asFlatFile(foreign.toFile());
        assertBad(foreign, "not a MetaUnsup theta file");
    }

    @Test
    void tamperedThetaAndNewerFormatsAreRejected() throws Exception {
        // A file whose θ differs from its card's checksum.
        Theta theta = ExportFixture.theta(1);
        ThetaCard card = ThetaFile.write(tmp.resolve("a.theta.fb"), theta, ExportFixture.card(1));
        SameDiff sd = CoreAdapter.stepGraph(ExportFixture.tiny(), ExportFixture.tiny().base(), ExportFixture.theta(2),
                DataType.DOUBLE).sameDiff();
        sd.constant(ThetaFile.CARD_VARIABLE, Nd4j.createFromArray(card.toJson().getBytes("UTF-8")));
        Path tampered = tmp.resolve("tampered.theta.fb");
        sd.asFlatFile(tampered.toFile());
        assertBad(tampered, "do not match the card's checksum");

        ThetaCard future = new ThetaCard(ThetaCard.FORMAT, 99, card.rule(), 4, 0.05, 8, "relu", null, null, "tiny",
                card.configProperties(), "x", "y", 0, null, null, null, null);
        SameDiff sd2 = CoreAdapter.stepGraph(ExportFixture.tiny(), ExportFixture.tiny().base(), theta,
                DataType.DOUBLE).sameDiff();
        sd2.constant(ThetaFile.CARD_VARIABLE, Nd4j.createFromArray(future.toJson().getBytes("UTF-8")));
        Path newer = tmp.resolve("newer.theta.fb");
        sd2.asFlatFile(newer.toFile());
        assertBad(newer, "format version 99");
    }

    @Test
    void writerRefusesACardThatDoesNotDescribeTheta() {
        Theta theta = ExportFixture.theta(1);
        ThetaCard wrongTop = new ThetaCard(ThetaCard.FORMAT, 1, ExportFixture.card(0).rule(), 5, 0.05, 8, "relu",
                null, null, "tiny", ExportFixture.card(0).configProperties(), "v", "c", 0, null, null, null, null);
        assertThrows(IllegalArgumentException.class, () -> ThetaFile.write(tmp.resolve("x.theta.fb"), theta, wrongTop));
        assertFalse(Files.exists(tmp.resolve("x.theta.fb")));
    }

    private static void assertBad(Path file, String expected) {
        BadInputException e = assertThrows(BadInputException.class, () -> LearnedRule.load(file), file.toString());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }
}
