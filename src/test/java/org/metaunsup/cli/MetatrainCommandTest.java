package org.metaunsup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.metaunsup.testing.TinyConfig;
import org.junit.jupiter.api.io.TempDir;

/** {@code metatrain} on the command line: a short run, and the one-line refusals (exit 2). */
class MetatrainCommandTest {

    @TempDir
    Path tmp;

    @Test
    void runsAndRefusesAnotherConfigOnResume() throws Exception {
        Path cfg = TinyConfig.write(tmp, "outer.batch = 1\n");
        Path dir = tmp.resolve("run");
        CliRunner.Result ok = CliRunner.run("metatrain", "--config", cfg.toString(), "--run-dir", dir.toString(),
                "--steps", "1", "--eval-steps", "0");
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().trim().endsWith("run"), ok.out());
        assertTrue(Files.isRegularFile(dir.resolve("metrics.csv")));

        CliRunner.Result other = CliRunner.run("metatrain", "--config", "tiny", "--run-dir", dir.toString(), "--resume",
                "--steps", "2");
        assertEquals(2, other.code(), other.err());
        assertEquals(1, other.err().trim().lines().count(), other.err());
        assertTrue(other.err().contains("another config"), other.err());

        CliRunner.Result again = CliRunner.run("metatrain", "--config", cfg.toString(), "--run-dir", dir.toString());
        assertEquals(2, again.code());
        assertTrue(again.err().contains("--resume"), again.err());

        CliRunner.Result engine = CliRunner.run("metatrain", "--config", "tiny", "--run-dir", tmp.resolve("x").toString(),
                "--engine", "mpi");
        assertEquals(2, engine.code());
        assertEquals(1, engine.err().trim().lines().count(), engine.err());
    }

    @Test
    void resumesARunFolderWrittenBeforeANewKey() throws Exception {
        Path cfg = TinyConfig.write(tmp, "outer.batch = 1\nouter.checkpoint_every = 1\n");
        Path dir = tmp.resolve("old");
        CliRunner.Result first = CliRunner.run("metatrain", "--config", cfg.toString(), "--run-dir", dir.toString(),
                "--steps", "1", "--eval-steps", "0");
        assertEquals(0, first.code(), first.err());
        // An earlier version wrote no task.datasets (models/runs/small-1 is such a run).
        Path stored = dir.resolve("config.properties");
        String text = Files.readString(stored);
        assertTrue(text.contains("task.datasets"), text);
        Files.writeString(stored, text.replaceAll("(?m)^task\\.datasets.*\\R", ""));

        CliRunner.Result own = CliRunner.run("metatrain", "--run-dir", dir.toString(), "--resume", "--steps", "2",
                "--eval-steps", "0");
        assertEquals(0, own.code(), own.err());
        CliRunner.Result named = CliRunner.run("metatrain", "--config", cfg.toString(), "--run-dir", dir.toString(),
                "--resume", "--steps", "3", "--eval-steps", "0");
        assertEquals(0, named.code(), named.err());
        assertEquals(4, Files.readAllLines(dir.resolve("metrics.csv")).size(), "header and steps 1-3");

        // scripts/budget-arm.sh resumes with --config <run>/config.properties: the run keeps its name.
        CliRunner.Result byFile = CliRunner.run("metatrain", "--config", dir.resolve("config.properties").toString(),
                "--run-dir", dir.toString(), "--resume", "--steps", "4", "--eval-steps", "0");
        assertEquals(0, byFile.code(), byFile.err());
        String started = cfg.getFileName().toString().replaceFirst("\\.properties$", "");
        assertTrue((byFile.out() + byFile.err()).contains("meta-training " + started + ":"), byFile.err());
        String card = Files.readString(dir.resolve("theta").resolve("step-00000004.json"));
        assertTrue(card.contains("\"config\" : \"" + started + "\""), card);
    }
}
