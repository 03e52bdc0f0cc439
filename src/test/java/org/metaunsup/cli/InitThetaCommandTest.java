package org.metaunsup.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metaunsup.config.ConfigLoader;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.eval.RuleSource;
import org.metaunsup.export.ThetaFile;
import org.metaunsup.rule.HebbianTheta;
import org.metaunsup.rule.Theta;
import org.metaunsup.rule.ThetaSpec;
import org.metaunsup.util.Seeds;
import org.nd4j.linalg.api.buffer.DataType;

/** {@code init-theta}: the starting θ of meta-training as a θ file that {@code evaluate --rule} reads. */
class InitThetaCommandTest {

    @TempDir
    Path tmp;

    @Test
    void writesTheHandDesignedThetaWithItsCard() {
        Path file = tmp.resolve("h.theta.fb");
        CliRunner.Result r = CliRunner.run("init-theta", "--config", "tiny", "--init", "hebbian", "--seed", "3",
                "--out", file.toString());
        assertEquals(0, r.code(), r.err());
        ThetaFile.Contents c = ThetaFile.read(file);
        assertEquals("hebbian", c.card().configProperties().get("outer.init"));
        assertEquals(0, c.card().outerStep());
        assertEquals(3L, c.card().seeds().get("run"));
        ExperimentConfig tiny = ConfigLoader.load("tiny");
        ThetaSpec spec = new ThetaSpec(tiny.rule(), tiny.base().topWidth());
        Theta expected = HebbianTheta.init(spec, Seeds.derive(3, "theta-init"), DataType.FLOAT);
        assertArrayEquals(expected.toDoubles(), c.theta().toDoubles(), 0.0);
        // evaluate --rule FILE accepts it under the config it was made for.
        RuleSource.Loaded loaded = RuleSource.load(file.toString(), tiny, tiny.base().topWidth(), 0);
        assertArrayEquals(expected.toDoubles(), loaded.theta().toDoubles(), 0.0);

        Path meta = tmp.resolve("m.theta.fb");
        assertEquals(0, CliRunner.run("init-theta", "--config", "tiny", "--seed", "3", "--out", meta.toString()).code());
        assertArrayEquals(Theta.init(spec, Seeds.derive(3, "theta-init"), DataType.FLOAT).toDoubles(),
                ThetaFile.read(meta).theta().toDoubles(), 0.0, "the config's own outer.init (meta) by default");
    }

    @Test
    void badInitOrFileNameIsOneLineExit2AndNothingWritten() throws Exception {
        Path file = tmp.resolve("h.theta.fb");
        CliRunner.Result r = CliRunner.run("init-theta", "--config", "tiny", "--init", "oja", "--out", file.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--init 'oja'"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        CliRunner.Result n = CliRunner.run("init-theta", "--config", "tiny", "--out", tmp.resolve("h.bin").toString());
        assertEquals(2, n.code());
        try (var files = Files.list(tmp)) {
            assertFalse(files.findAny().isPresent(), "nothing written");
        }
    }
}
