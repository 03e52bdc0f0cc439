package org.metaunsup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metaunsup.config.ConfigLoader;
import org.metaunsup.data.Datasets;
import org.metaunsup.data.IdxWriter;
import org.metaunsup.dl4j.ArrayDataSetIterator;
import org.metaunsup.export.LearnedRule;
import org.metaunsup.export.ThetaCard;
import org.metaunsup.io.Npy;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@code features} on a user's IDX file and a θ file; bad θ files are one line and exit 2. */
class FeaturesCommandTest {

    @TempDir
    Path tmp;

    /** 300 random 4×4 images with labels 0..2, as a user's IDX pair. */
    private String idx() throws Exception {
        Random rnd = new Random(4);
        byte[] px = new byte[300 * 16];
        rnd.nextBytes(px);
        byte[] y = new byte[300];
        for (int i = 0; i < y.length; i++) {
            y[i] = (byte) (i % 3);
        }
        Path images = tmp.resolve("images.idx");
        Path labels = tmp.resolve("labels.idx");
        Files.write(images, IdxWriter.encode(new int[] {300, 4, 4}, px));
        Files.write(labels, IdxWriter.encode(new int[] {300}, y));
        return "idx:" + images + "," + labels;
    }

    @Test
    void featuresWritesModelPhiAndFiniteFeaturesOfEveryImage() throws Exception {
        Path rule = tmp.resolve("rule.theta.fb");
        LearnedRule.metaInitialised("tiny", 2).save(rule);
        Path out = tmp.resolve("out");
        CliRunner.Result r = CliRunner.run("features", "--rule", rule.toString(), "--dataset", idx(), "--arch", "7x2,4",
                "--steps", "5", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("inner steps: 5/5"), r.err());

        // nd4j's .npy writer, read back by our own reader.
        INDArray f = Npy.read(out.resolve("features-train.npy"), DataType.DOUBLE);
        assertTrue(Arrays.equals(new long[] {300, 4}, f.shape()), Arrays.toString(f.shape()));
        assertTrue(!f.isNaN().any() && !f.isInfinite().any());
        assertTrue(f.std(0).minNumber().doubleValue() > 0, "every feature varies over the images");
        assertEquals(Nd4j.createFromNpyFile(out.resolve("features-train.npy").toFile()).castTo(DataType.DOUBLE), f);
        assertTrue(Arrays.equals(new long[] {16, 7}, Npy.read(out.resolve("phi/W1.npy"), DataType.DOUBLE).shape()));
        assertTrue(Arrays.equals(new long[] {7}, Npy.read(out.resolve("phi/bn_var2.npy"), DataType.DOUBLE).shape()));
        assertEquals(2, Npy.read(out.resolve("labels-train.npy"), DataType.DOUBLE).getInt(5));

        // The saved DL4J model gives the same features.
        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(out.resolve("model.zip").toFile());
        ArrayDataSetIterator all = ArrayDataSetIterator.of(Datasets.load(idx()).train(),
                ArrayDataSetIterator.all(Datasets.load(idx()).train()), false, 300);
        INDArray again = net.output(all.next().getFeatures(), false).castTo(DataType.DOUBLE);
        assertTrue(again.sub(f).amaxNumber().doubleValue() < 1e-6);
        assertEquals(2, ThetaCard.fromJson(Files.readString(out.resolve("card.json"))).seeds().get("theta_init"));
        assertTrue(Files.readString(out.resolve("manifest.json")).contains("\"command\" : \"features\""));
    }

    @Test
    void randomRuleAndWrongTopWidth() throws Exception {
        Path out = tmp.resolve("random");
        CliRunner.Result r = CliRunner.run("features", "--rule", "random", "--config", "tiny", "--dataset", idx(),
                "--steps", "2", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("never been meta-trained"), r.err());
        assertTrue(Files.exists(out.resolve("model.zip")));
        CliRunner.Result bad = CliRunner.run("features", "--rule", "random", "--config", "tiny", "--dataset", idx(),
                "--arch", "8,5", "--out", tmp.resolve("x").toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("top width 4") && bad.err().contains("has top width 5"), bad.err());
        assertEquals(1, bad.err().lines().filter(l -> l.startsWith("error")).count(), bad.err());
        assertEquals(0, bad.err().lines().filter(l -> l.contains("\tat ")).count(), "no stack trace: " + bad.err());
    }

    @Test
    void badThetaFilesAreOneLineAndExitCode2() throws Exception {
        Path good = tmp.resolve("good.theta.fb");
        LearnedRule.metaInitialised("tiny", 2).save(good);
        byte[] bytes = Files.readAllBytes(good);
        Path cut = tmp.resolve("cut.theta.fb");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
        Path text = tmp.resolve("notes.theta.fb");
        Files.writeString(text, "not a theta file\n".repeat(10));
        for (Map.Entry<Path, String> c : Map.of(tmp.resolve("missing.theta.fb"), "no such theta file", cut,
                "truncated", text, "not a SameDiff FlatBuffers file").entrySet()) {
            CliRunner.Result r = CliRunner.run("features", "--rule", c.getKey().toString(), "--dataset", idx(),
                    "--out", tmp.resolve("o").toString());
            assertEquals(2, r.code(), r.err());
            String line = r.err().trim();
            assertEquals(1, line.lines().count(), line);
            assertTrue(line.startsWith("error: ") && line.contains(c.getValue()) && line.contains(c.getKey().toString()),
                    line);
        }
    }
}
