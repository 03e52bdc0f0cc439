package org.metaunsup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metaunsup.export.LearnedRule;

/** The main job takes a θ file through the loading API and rejects a bad one with exit code 2. */
class DemoRuleFileTest {

    @Test
    void demoAppliesAThetaFileAndRejectsABadOne(@TempDir Path tmp) throws Exception {
        Path rule = tmp.resolve("tiny.theta.fb");
        LearnedRule.metaInitialised("tiny", 4).save(rule);
        Path out = tmp.resolve("demo");
        CliRunner.Result r = CliRunner.run("demo", "--config", "tiny", "--rule", rule.toString(), "--steps", "2",
                "--every", "1", "--seeds", "1", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("using the meta-initialised rule " + rule), r.err());
        assertTrue(Files.readString(out.resolve("manifest.json")).contains(rule.toString()));

        Path bad = tmp.resolve("bad.theta.fb");
        Files.write(bad, Arrays.copyOf(Files.readAllBytes(rule), 5000));
        CliRunner.Result b = CliRunner.run("demo", "--config", "tiny", "--rule", bad.toString(), "--steps", "2",
                "--out", tmp.resolve("d2").toString());
        assertEquals(2, b.code());
        assertEquals(1, b.err().trim().lines().count(), b.err());
        assertTrue(b.err().startsWith("error: " + bad), b.err());
    }
}
