package org.metaunsup.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.metaunsup.util.Launcher;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A {@code metatrain} in a child JVM, as a user starts it, for the fault tests: started directly or
 * through the {@link org.metaunsup.util.Launcher} relaunch, optionally paused at a
 * {@link FaultPoint}, killed with SIGKILL or SIGTERM; and the invariants a run folder must hold
 * after any fault and a resume (docs/RELIABILITY.md).
 */
final class RunChild {

    /** The config of the fault tests: {@link TrainFixture#CONFIG}, one graph, a checkpoint every 2 steps. */
    static Path config(Path dir) throws IOException {
        Path cfg = dir.resolveSibling(dir.getFileName() + "-tiny.properties");
        Files.writeString(cfg, TrainFixture.CONFIG);
        return cfg;
    }

    final Process process;
    final Path log;

    private RunChild(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * @param dir run folder
     * @param config config file
     * @param steps target outer step
     * @param resume add --resume
     * @param fault a {@link FaultPoint#spec} or null
     * @param launcher start through the Launcher's relaunch (two JVMs) instead of directly
     * @param evalSteps --eval-steps (0: none)
     * @param log where the child's output goes
     */
    static RunChild start(Path dir, Path config, long steps, boolean resume, String fault, boolean launcher,
                          int evalSteps, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx2g"));
        if (fault != null) {
            cmd.add("-D" + FaultPoint.PROPERTY + "=" + fault);
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.metaunsup.cli.Main", "metatrain",
                "--config", config.toString(), "--run-dir", dir.toString(), "--steps", Long.toString(steps),
                "--workers", "1", "--eval-steps", Integer.toString(evalSteps), "--eval-seeds", "1"));
        if (resume) {
            cmd.add("--resume");
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        if (launcher) {
            // What a user's shell has: none of the settings, so the Launcher relaunches.
            Launcher.ENV.keySet().forEach(env::remove);
            env.remove("METAUNSUP_NO_RELAUNCH");
            env.remove("METAUNSUP_LAUNCHED");
        } else {
            env.put("METAUNSUP_NO_RELAUNCH", "1");
            env.put("OMP_NUM_THREADS", "1");
            env.put("OMP_WAIT_POLICY", "passive");
        }
        return new RunChild(pb.start(), log);
    }

    /** @return what the child printed so far */
    String output() throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    /** Waits for a condition while the child lives. */
    void await(BooleanSupplier cond, String what) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (!cond.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new AssertionError("child ended (exit " + process.exitValue() + ") before " + what + ":\n"
                        + output());
            }
            if (System.nanoTime() > end) {
                killAll();
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    /** SIGKILL of the child and every process it started. */
    void killAll() throws InterruptedException {
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        process.destroyForcibly();
        all.forEach(ProcessHandle::destroyForcibly);
        process.waitFor();
        for (ProcessHandle h : all) {
            h.onExit().join();
        }
    }

    /** @return exit code after waiting up to 240 s */
    int finish() throws Exception {
        if (!process.waitFor(240, TimeUnit.SECONDS)) {
            killAll();
            throw new AssertionError("child did not end:\n" + output());
        }
        return process.exitValue();
    }

    /** True once the metrics CSV holds more than {@code rows} rows. */
    static boolean rowsAbove(Path dir, int rows) {
        try {
            return Files.readAllLines(dir.resolve("metrics.csv")).size() - 1 > rows;
        } catch (IOException e) {
            return false;
        }
    }

    /** True once a checkpoint exists. */
    static boolean hasCheckpoint(Path dir) {
        try {
            return !Checkpoint.names(dir.resolve(Checkpoint.FOLDER)).isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * What every run folder holds after faults and resumes that reached {@code steps}: each outer
     * step's row exactly once and in order in both metrics files (every line complete), evaluation
     * rows at distinct, increasing steps, a finished manifest, a newest checkpoint at the target,
     * a θ file with its card for every checkpoint on disk and none after the target, no temp files.
     */
    static void assertIntact(Path dir, long steps) throws IOException {
        String csv = Files.readString(dir.resolve("metrics.csv"));
        assertTrue(csv.endsWith("\n"), "metrics.csv ends with a complete line");
        List<String> rows = csv.lines().toList();
        assertEquals(steps + 1, rows.size(), "header and one row per outer step: " + rows);
        for (int i = 1; i <= steps; i++) {
            assertTrue(rows.get(i).startsWith(i + ","), "row " + i + " is outer step " + i + ": " + rows);
        }
        MetricsLog.Read json = MetricsLog.read(dir.resolve("metrics.jsonl"));
        assertEquals(List.of(), json.skipped(), "no damaged line in metrics.jsonl");
        assertEquals(steps, json.rows().size());
        for (int i = 0; i < steps; i++) {
            assertEquals(i + 1, ((Number) json.rows().get(i).get("outer_step")).intValue());
        }
        MetricsLog.Read eval = MetricsLog.read(dir.resolve("eval.jsonl"));
        assertEquals(List.of(), eval.skipped(), "no damaged line in eval.jsonl");
        long last = 0;
        for (Map<String, Object> r : eval.rows()) {
            long s = ((Number) r.get("outer_step")).longValue();
            assertTrue(s > last, "evaluation rows at increasing, distinct steps: " + eval.rows());
            last = s;
        }
        assertEquals(eval.rows().size() + 1, Files.readAllLines(dir.resolve("eval.csv")).size(), "eval.csv = eval.jsonl");
        String manifest = Files.readString(dir.resolve("manifest.json"));
        assertTrue(manifest.contains("\"status\" : \"finished\""), manifest);
        Checkpoint.Found newest = Checkpoint.newest(dir, DataType.FLOAT, m -> {});
        assertEquals(steps, newest.checkpoint().learner().step());
        Set<Long> thetaSteps = new HashSet<>();
        try (Stream<Path> s = Files.list(dir.resolve(MetaTrainer.THETA_FOLDER))) {
            for (Path f : s.toList()) {
                String n = f.getFileName().toString();
                assertFalse(n.endsWith(".tmp"), "temp file left in theta/: " + n);
                if (n.endsWith(".theta.fb")) {
                    assertTrue(Files.exists(f.resolveSibling(n.replace(".theta.fb", ".json"))), "card of " + n);
                    thetaSteps.add(Long.parseLong(n.substring(5, 13)));
                }
            }
        }
        for (String ck : Checkpoint.names(dir.resolve(Checkpoint.FOLDER))) {
            assertTrue(thetaSteps.contains(Long.parseLong(ck.substring(5, 13))), "θ file of checkpoint " + ck);
        }
        assertTrue(thetaSteps.stream().allMatch(s -> s <= steps), "no θ file after the target: " + thetaSteps);
        try (Stream<Path> s = Files.list(dir)) {
            assertTrue(s.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "temp files in the run folder");
        }
    }
}
