package org.metaunsup.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metaunsup.BadInputException;
import org.metaunsup.config.ConfigLoader;
import org.metaunsup.config.ExperimentConfig;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Which θ is the default rule of a config: only one whose card matches it (a {@code tiny} config
 * never takes a {@code small} θ), {@code <config>.theta.fb} first, then the highest outer step; none
 * matching is one line naming what was looked for and where. Real θ files: the committed
 * {@code small} run's and {@code tiny} ones written here.
 */
class ShippedRulesTest {

    private static final Path SMALL_108 = Path.of("models/runs/small-1/theta/step-00000108.theta.fb");
    private static final Path SMALL_731 = Path.of("models/runs/small-1/theta/step-00000731.theta.fb");

    @TempDir
    Path tmp;

    /** A tiny θ file as meta-training writes it, at an outer step. */
    static Path writeTiny(Path file, long outerStep) throws Exception {
        ExperimentConfig tiny = ConfigLoader.load("tiny");
        ThetaFile.write(file, CoreAdapter.initTheta(tiny, 3, DataType.FLOAT), ThetaCard.of(tiny, outerStep,
                Map.of("run", 1L), Map.of()));
        return file;
    }

    @Test
    void aTinyConfigNeverTakesASmallTheta() throws Exception {
        Path models = Files.createDirectories(tmp.resolve("models"));
        Files.copy(SMALL_731, models.resolve("small.theta.fb"));
        Files.copy(SMALL_108, models.resolve("tiny.theta.fb"));   // named for tiny, but a small θ
        Files.writeString(models.resolve("README.md"), "not a rule");
        BadInputException e = assertThrows(BadInputException.class,
                () -> ShippedRules.find(ConfigLoader.load("tiny"), List.of(models)));
        String m = e.getMessage();
        assertFalse(m.contains("\n"), "one line: " + m);
        assertTrue(m.startsWith("no theta file matching config tiny (rule widths h=8 d=4 top=8 g=2 kernels=5/3, "
                + "top width 4, eta 1.0E-4, inner batch 8, activation relu) in " + models), m);
        assertTrue(m.contains("small.theta.fb (made under config 'small': rule widths h=32 d=16 top=32 g=4 kernels=5/3 (config: "
                + "h=8 d=4 top=8 g=2 kernels=5/3), top width 32 (config: 4), eta 0.001 (config: 1.0E-4), inner batch "
                + "64 (config: 8))"), m);
        assertTrue(m.contains("tiny.theta.fb (made under config 'config': rule widths h=32"), m);
        assertTrue(m.contains("--rule random"), m);
        // The small config takes the small θ named for it.
        ShippedRules.Choice c = ShippedRules.find(ConfigLoader.load("small"), List.of(models));
        assertEquals(models.resolve("small.theta.fb"), c.file());
        assertTrue(c.marked());
    }

    @Test
    void theFileNamedForTheConfigIsPreferredThenTheHighestOuterStep() throws Exception {
        Path models = Files.createDirectories(tmp.resolve("models"));
        Files.copy(SMALL_108, models.resolve("small.theta.fb"));
        Files.copy(SMALL_731, models.resolve("later.theta.fb"));
        Files.copy(SMALL_731, models.resolve("a-copy.theta.fb"));
        writeTiny(models.resolve("tiny.theta.fb"), 3);
        ExperimentConfig small = ConfigLoader.load("small");

        ShippedRules.Choice c = ShippedRules.find(small, List.of(models));
        assertEquals(models.resolve("small.theta.fb"), c.file(), "marked, though of a lower outer step");
        assertEquals(108, c.rule().card().outerStep());
        assertEquals(108 * 4, c.gradients(), "outer steps x outer.batch");
        // This card names its config "config" (the stem of a config.properties file), not "small".
        assertEquals("config", c.rule().card().config());
        assertEquals("using theta " + models.resolve("small.theta.fb") + " (shipped for config small; card: config "
                + "config, outer step 108, 432 meta-gradients, commit " + c.rule().card().commit() + ")", c.describe());

        ShippedRules.Choice t = ShippedRules.find(ConfigLoader.load("tiny"), List.of(models));
        assertEquals(models.resolve("tiny.theta.fb"), t.file());
        assertTrue(t.describe().contains("outer step 3, 6 meta-gradients"), t.describe());

        Files.delete(models.resolve("small.theta.fb"));
        ShippedRules.Choice u = ShippedRules.find(small, List.of(models));
        assertEquals(models.resolve("a-copy.theta.fb"), u.file(), "highest outer step, first name of a tie");
        assertFalse(u.marked());
        assertTrue(u.describe().contains("matching, not marked as shipped") && u.describe().contains("outer step 731"),
                u.describe());
    }

    @Test
    void theFirstFolderHoldingAMatchWinsAndMissingOnesAreSkipped() throws Exception {
        Path missing = tmp.resolve("missing");
        Path first = Files.createDirectories(tmp.resolve("first"));
        Path second = Files.createDirectories(tmp.resolve("second"));
        writeTiny(first.resolve("tiny.theta.fb"), 1);
        Files.copy(SMALL_108, second.resolve("small.theta.fb"));
        Files.createDirectories(first.resolve("runs"));
        Files.copy(SMALL_731, first.resolve("runs/small.theta.fb"));   // runs/ is never searched
        ShippedRules.Choice c = ShippedRules.find(ConfigLoader.load("small"), List.of(missing, first, second));
        assertEquals(second.resolve("small.theta.fb"), c.file());
        BadInputException e = assertThrows(BadInputException.class,
                () -> ShippedRules.find(ConfigLoader.load("paper"), List.of(missing)));
        assertTrue(e.getMessage().contains("in " + missing + " (no *.theta.fb there)"), e.getMessage());
    }

    @Test
    void aCardMatchesOnWhatMakesItALearnerNotOnInputOrHiddenWidths() throws Exception {
        ThetaCard small = ThetaFile.readCard(SMALL_108);
        assertEquals(List.of(), ShippedRules.mismatches(small, ConfigLoader.load("small")));
        Map<String, String> p = new HashMap<>(ConfigLoader.load("small").toProperties());
        p.put("base.input", "784");
        p.put("base.hidden", "256,128,64");
        p.put("outer.lr", "3e-4");
        assertEquals(List.of(), ShippedRules.mismatches(small, ConfigLoader.resolve("mine", p)),
                "any input and hidden widths, any meta-training settings");
        p.put("inner.batch", "128");
        p.put("base.activation", "tanh");
        assertEquals(List.of("inner batch 64 (config: 128)", "activation relu (config: tanh)"),
                ShippedRules.mismatches(small, ConfigLoader.resolve("mine", p)));
        p = new HashMap<>(ConfigLoader.load("small").toProperties());
        p.put("base.top", "16");
        assertEquals(List.of("top width 32 (config: 16)"), ShippedRules.mismatches(small, ConfigLoader.resolve("x", p)));
    }

    @Test
    void anUnreadableThetaFileInTheFolderIsOneLineNamingIt() throws Exception {
        Path models = Files.createDirectories(tmp.resolve("models"));
        Files.writeString(models.resolve("small.theta.fb"), "not flatbuffers, but long enough to be looked at ".repeat(3));
        BadInputException e = assertThrows(BadInputException.class,
                () -> ShippedRules.find(ConfigLoader.load("small"), List.of(models)));
        assertTrue(e.getMessage().contains(models.resolve("small.theta.fb").toString()), e.getMessage());
    }
}
