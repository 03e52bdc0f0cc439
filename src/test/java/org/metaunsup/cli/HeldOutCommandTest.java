package org.metaunsup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.metaunsup.testing.TinyConfig;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code heldout}: the θ files of a short run measured again, with their meta-gradients, the best
 * θ chosen by validation alone, numbers that repeat, and the one-line refusal of a folder that is
 * not a run.
 */
class HeldOutCommandTest {

    @TempDir
    Path tmp;

    @Test
    void measuresEveryThetaFileAndPicksTheBestByValidation() throws Exception {
        Path cfg = TinyConfig.write(tmp, "outer.batch = 2\nouter.checkpoint_every = 1\nouter.lr = 0.05\n");
        Path run = tmp.resolve("arm");
        CliRunner.Result train = CliRunner.run("metatrain", "--config", cfg.toString(), "--run-dir", run.toString(),
                "--steps", "2", "--eval-steps", "0", "--seed", "3");
        assertEquals(0, train.code(), train.err());

        String[] args = {"heldout", "--run", run.toString(), "--steps", "3", "--seeds", "2", "--validation-tasks", "4",
            "--query", "200", "--draws", "2", "--out", ""};
        args[args.length - 1] = tmp.resolve("h1").toString();
        CliRunner.Result first = CliRunner.run(args);
        assertEquals(0, first.code(), first.err());
        List<String> rows = Files.readAllLines(tmp.resolve("h1/heldout.csv"));
        assertEquals(4, rows.size(), String.join("\n", rows));   // header, the meta-initialised θ, steps 1 and 2
        double best = -1;
        double bestLoss = Double.POSITIVE_INFINITY;
        long bestStep = -1;
        for (int i = 1; i < rows.size(); i++) {
            String[] f = rows.get(i).split(",");
            assertEquals("arm", f[0]);
            assertEquals(i - 1, Long.parseLong(f[1]));
            assertEquals(2L * (i - 1), Long.parseLong(f[2]), "two gradients per outer step");
            double v = Double.parseDouble(f[3]);
            double loss = Double.parseDouble(f[5]);
            assertTrue(v > 0 && v <= 1, rows.get(i));
            if (v > best || (v == best && loss < bestLoss)) {   // ties: the lower validation meta-objective
                best = v;
                bestLoss = loss;
                bestStep = i - 1;
            }
        }
        JsonNode chosen = new ObjectMapper().readTree(tmp.resolve("h1/arm/best.json").toFile());
        assertEquals(bestStep, chosen.get("outer_step").asLong(), chosen.toString());
        assertEquals(best, chosen.get("validation_ridge_accuracy").asDouble(), 0.0);
        assertTrue(chosen.get("chosen_by").asText().contains("4 fixed 10-way tasks"), chosen.toString());
        assertTrue(Files.isRegularFile(tmp.resolve("h1/heldout.png")));

        args[args.length - 1] = tmp.resolve("h2").toString();
        CliRunner.Result second = CliRunner.run(args);
        assertEquals(0, second.code(), second.err());
        assertEquals(rows, Files.readAllLines(tmp.resolve("h2/heldout.csv")), "fixed draws: the same numbers again");

        // One θ file on its own, with its card's config: the run's row of that step, number for number.
        CliRunner.Result single = CliRunner.run("heldout", "--theta", run.resolve("theta/step-00000002.theta.fb").toString(),
                "--steps", "3", "--seeds", "2", "--validation-tasks", "4", "--query", "200", "--draws", "2", "--out",
                tmp.resolve("h3").toString());
        assertEquals(0, single.code(), single.err());
        List<String> one = Files.readAllLines(tmp.resolve("h3/heldout.csv"));
        assertEquals(2, one.size(), String.join("\n", one));
        assertEquals(rows.get(3).replaceFirst("^arm,", "step-00000002,"), one.get(1));
    }

    @Test
    void refusesAFolderThatIsNotARun() throws Exception {
        Files.createDirectories(tmp.resolve("empty"));
        CliRunner.Result r = CliRunner.run("heldout", "--run", tmp.resolve("empty").toString(), "--out",
                tmp.resolve("o").toString());
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().trim().lines().count(), r.err());
        assertTrue(r.err().contains("not a metatrain run folder"), r.err());
        assertTrue(Files.notExists(tmp.resolve("o")));
    }
}
