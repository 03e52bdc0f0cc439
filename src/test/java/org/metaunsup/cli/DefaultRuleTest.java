package org.metaunsup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metaunsup.BadInputException;
import org.metaunsup.config.ConfigLoader;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.data.IdxWriter;
import org.metaunsup.examples.Dl4jPipelineExample;
import org.metaunsup.export.CoreAdapter;
import org.metaunsup.export.ShippedRules;
import org.metaunsup.export.ThetaCard;
import org.metaunsup.export.ThetaFile;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The commands that use the shipped rule by default ({@code demo}, the main job; {@code features};
 * {@code evaluate --rule default}) take the θ in the models folder whose card matches the config,
 * say which on stderr, and with none matching stop with one line and exit code 2. The models folder
 * is a temporary one, named by {@code -Dmetaunsup.models} as a user would.
 */
class DefaultRuleTest {

    @TempDir
    Path tmp;
    private Path models;
    private String saved;

    @BeforeEach
    void modelsFolder() throws Exception {
        models = Files.createDirectories(tmp.resolve("models"));
        // A small θ only: what a clone holds once the small rule ships.
        Files.copy(Path.of("models/runs/small-1/theta/step-00000108.theta.fb"), models.resolve("small.theta.fb"));
        saved = System.getProperty(ShippedRules.PROPERTY);
        System.setProperty(ShippedRules.PROPERTY, models.toString());
    }

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty(ShippedRules.PROPERTY);
        } else {
            System.setProperty(ShippedRules.PROPERTY, saved);
        }
    }

    /** A tiny θ as meta-training writes it, at outer step 3 (6 meta-gradients at tiny's outer.batch 2). */
    private Path shipTiny() throws Exception {
        ExperimentConfig tiny = ConfigLoader.load("tiny");
        Path f = models.resolve("tiny.theta.fb");
        ThetaFile.write(f, CoreAdapter.initTheta(tiny, 9, DataType.FLOAT), ThetaCard.of(tiny, 3, Map.of("run", 1L),
                Map.of()));
        return f;
    }

    @Test
    void withNoMatchingThetaEachCommandSaysWhatItLookedForAndWhereAndExits2() {
        List<List<String>> commands = List.of(
                List.of("demo", "--config", "tiny", "--steps", "2", "--out", tmp.resolve("d").toString()),
                List.of("features", "--config", "tiny", "--dataset", "mnist14", "--out", tmp.resolve("f").toString()),
                List.of("evaluate", "--rule", "default", "--config", "tiny", "--steps", "1", "--every", "1",
                        "--seeds", "1", "--out", tmp.resolve("e").toString()));
        for (List<String> args : commands) {
            CliRunner.Result r = CliRunner.run(args.toArray(String[]::new));
            assertEquals(2, r.code(), args + ": " + r.err());
            assertEquals(1, r.err().trim().lines().count(), "one line: " + r.err());
            assertTrue(r.err().startsWith("error: no theta file matching config tiny (rule widths h=8 d=4"), r.err());
            assertTrue(r.err().contains(" in " + models + "; found small.theta.fb (made under config '"),
                    r.err());
            assertTrue(!Files.exists(tmp.resolve("d")) && !Files.exists(tmp.resolve("e")), "nothing written");
        }
    }

    @Test
    void demoUsesTheMatchingThetaAndNamesIt() throws Exception {
        Path tiny = shipTiny();
        Path out = tmp.resolve("demo");
        CliRunner.Result r = CliRunner.run("demo", "--config", "tiny", "--steps", "2", "--every", "1", "--seeds", "1",
                "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("using theta " + tiny + " (shipped for config tiny; card: config tiny, outer step 3, "
                + "6 meta-gradients, commit "), r.err());
        JsonNode manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
        assertEquals(tiny.toString(), manifest.get("rule").asText());
        assertTrue(Files.readString(out.resolve("summary.txt")).contains(tiny.toString()));
    }

    @Test
    void evaluateRuleDefaultUsesTheMatchingThetaBesideThePcaBaseline() throws Exception {
        Path tiny = shipTiny();
        Path out = tmp.resolve("eval");
        CliRunner.Result r = CliRunner.run("evaluate", "--rule", "default", "--config", "tiny", "--methods", "rule,pca",
                "--steps", "2", "--every", "1", "--seeds", "1", "--shots", "2", "--query", "30", "--draws", "2",
                "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("using theta " + tiny + " (shipped for config tiny"), r.err());
        List<String> rows = Files.readAllLines(out.resolve("curves.csv"));
        assertEquals(1 + 2 * 3, rows.size(), "rule and pca at steps 0, 1, 2: " + rows);
        List<String> pca = rows.stream().filter(l -> l.startsWith("pca,")).map(l -> l.split(",")[5]).toList();
        assertEquals(3, pca.size());
        assertEquals(1, pca.stream().distinct().count(), "PCA is flat over steps: " + pca);
        assertTrue(Files.readString(out.resolve("manifest.json")).contains(tiny.toString()));
    }

    @Test
    void featuresUsesTheMatchingThetaByDefault() throws Exception {
        Path tiny = shipTiny();
        Random rnd = new Random(4);
        byte[] px = new byte[200 * 16];
        rnd.nextBytes(px);
        Path images = tmp.resolve("images.idx");
        Files.write(images, IdxWriter.encode(new int[] {200, 4, 4}, px));
        Path out = tmp.resolve("features");
        CliRunner.Result r = CliRunner.run("features", "--config", "tiny", "--dataset", "idx:" + images, "--steps", "2",
                "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("using theta " + tiny + " (shipped for config tiny"), r.err());
        assertEquals(ThetaFile.readCard(tiny), ThetaCard.fromJson(Files.readString(out.resolve("card.json"))));
    }

    @Test
    void theDl4jExampleTakesTheShippedRuleOfItsConfig() throws Exception {
        Assertions.assertThrows(BadInputException.class,
                () -> Dl4jPipelineExample.defaultRule("tiny"));
        Path tiny = shipTiny();
        assertEquals(tiny, Dl4jPipelineExample.defaultRule("tiny").file());
        assertEquals(models.resolve("small.theta.fb"), Dl4jPipelineExample.defaultRule("small")
                .file());
    }
}
