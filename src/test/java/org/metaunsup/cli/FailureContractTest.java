package org.metaunsup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metaunsup.config.ConfigLoader;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.report.RunFolder;
import org.metaunsup.rule.Theta;
import org.metaunsup.rule.ThetaFolder;
import org.metaunsup.rule.ThetaSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * The contract where the work itself runs: outputs replace earlier ones only when complete and
 * leave the user's files alone, a divergence is one line and an unfinished run folder, stdout
 * carries our lines only, and {@code --verbose} shows what the default hides.
 */
class FailureContractTest {

    @TempDir
    Path sb;

    @Test
    void traceReplacesAnEarlierTraceAsAWholeAndPrintsOneLine() throws Exception {
        Path out = sb.resolve("t");
        assertEquals(0, CliRunner.run("trace", "--seed", "3", "--out", out.toString()).code());
        Files.writeString(out.resolve("stale.npy"), "from an older trace");
        CliRunner.Result r = CliRunner.run("trace", "--seed", "4", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("wrote 171 tensors to " + out.toAbsolutePath()), r.out().lines().toList(),
                "stdout holds our line only (no per-op lines)");
        assertEquals("", r.err());
        JsonNode index = new ObjectMapper().readTree(out.resolve("index.json").toFile());
        assertEquals(4, index.get("seed").asInt());
        assertFalse(Files.exists(out.resolve("stale.npy")), "the folder was replaced, not written into");
        try (Stream<Path> s = Files.list(sb)) {
            assertEquals(List.of("t"), s.map(p -> p.getFileName().toString()).toList(), "no temp folder left");
        }
    }

    @Test
    void samplesNeverTouchesAUsersFileOfTheTempName() throws Exception {
        Path victim = sb.resolve("victim.png.tmp");
        Files.writeString(victim, "the user's file");
        Map<String, String> before = BadInputContractTest.snapshot(sb);
        CliRunner.Result r = CliRunner.run("data", "samples", "--out", sb.resolve("victim.png").toString());
        assertEquals(0, r.code(), r.err());
        Map<String, String> after = BadInputContractTest.snapshot(sb);
        assertEquals("the user's file", Files.readString(victim));
        after.remove("victim.png");
        assertEquals(before, after, "only victim.png was added");
    }

    @Test
    void aDivergentDemoSaysWhatAndWhenInOneLineAndMarksItsRunFolderUnfinished() throws Exception {
        // Every config value is checked by meaning (an absurd eta is bad input, exit 2), so the
        // divergence comes from a finite but absurd rule: theta scaled by 1e38 overflows float32
        // inside the first inner step.
        ExperimentConfig tiny = ConfigLoader.load("tiny");
        Theta huge = Theta.init(new ThetaSpec(tiny.rule(), tiny.base().topWidth()), 1, DataType.DOUBLE);
        huge.values().values().forEach(a -> a.muli(1e38));
        Path rule = sb.resolve("huge-theta");
        ThetaFolder.write(rule, huge, Map.of());
        Path run = sb.resolve("run");
        CliRunner.Result r = CliRunner.run("demo", "--config", "tiny", "--rule", rule.toString(), "--steps", "30",
                "--every", "1", "--seeds", "1", "--out", run.toString());
        assertEquals(1, r.code(), r.err());
        List<String> errors = r.err().lines().filter(l -> l.startsWith("error:")).toList();
        assertEquals(1, errors.size(), r.err());
        assertTrue(errors.get(0).matches("error: the base model of task 1 .* diverged at inner step \\d+ .*"
                + "finished: false.*"), errors.get(0));
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), r.err());
        JsonNode manifest = new ObjectMapper().readTree(run.resolve(RunFolder.MANIFEST).toFile());
        assertFalse(manifest.get("finished").asBoolean());
        assertEquals("diverged", manifest.get("status").asText());
        assertTrue(manifest.get("error").asText().contains("diverged at inner step"));
    }

    @Test
    void verboseShowsTheStackTrace() {
        CliRunner.Result r = CliRunner.run("--verbose", "data");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("error: data needs a subcommand"), r.err());
        assertTrue(r.err().contains("\tat org.metaunsup.cli.DataCommand"), r.err());
    }

    @Test
    void anInternalErrorIsOneLineWithExitCode1() {
        StringWriter sw = new StringWriter();
        int code = Failures.report(new RuntimeException("wrapped", new IllegalStateException("boom\nsecond line")),
                new PrintWriter(sw), false);
        assertEquals(1, code);
        assertEquals(List.of("internal error: java.lang.IllegalStateException: boom | second line "
                + "(--verbose shows the stack trace)"), sw.toString().lines().toList());
        sw.getBuffer().setLength(0);
        assertEquals(1, Failures.report(new RuntimeException(new OutOfMemoryError("Physical memory usage is too high")),
                new PrintWriter(sw), false));
        assertTrue(sw.toString().startsWith("error: out of memory"), sw.toString());
        assertEquals(1, sw.toString().lines().count());
    }
}
