package org.metaunsup.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A meta-training child JVM killed with SIGKILL — once while it trains, once inside a checkpoint
 * write (a test hook pauses it there) — resumes from its newest good checkpoint and finishes.
 */
class KillResumeTest {

    @TempDir
    Path tmp;

    private Process child(Path dir, Path config, long steps, boolean resume, String pause) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx2g"));
        if (pause != null) {
            cmd.add("-D" + FaultPoint.PROPERTY + "=" + pause);
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.metaunsup.cli.Main", "metatrain",
                "--config", config.toString(), "--run-dir", dir.toString(), "--steps", Long.toString(steps),
                "--workers", "1", "--eval-steps", "0"));
        if (resume) {
            cmd.add("--resume");
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve(dir.getFileName() + (resume ? "-resume.log" : ".log")).toFile());
        pb.environment().put("METAUNSUP_NO_RELAUNCH", "1");
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.environment().put("OMP_WAIT_POLICY", "passive");
        return pb.start();
    }

    private static void await(Process p, java.util.function.BooleanSupplier cond, String what) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (!cond.getAsBoolean()) {
            if (!p.isAlive()) {
                throw new AssertionError("child ended (exit " + p.exitValue() + ") before " + what);
            }
            if (System.nanoTime() > end) {
                p.destroyForcibly();
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    private void resumeAndFinish(Path dir, Path config, long steps, String expectFrom) throws Exception {
        Process r = child(dir, config, steps, true, null);
        assertTrue(r.waitFor(240, TimeUnit.SECONDS), "resumed run timed out");
        String log = Files.readString(tmp.resolve(dir.getFileName() + "-resume.log"), StandardCharsets.UTF_8);
        assertEquals(0, r.exitValue(), log);
        assertTrue(log.contains("resuming from checkpoint " + expectFrom), log);
        List<String> rows = Files.readAllLines(dir.resolve("metrics.csv"));
        assertEquals(steps + 1, rows.size(), rows.toString());
        for (int i = 1; i <= steps; i++) {
            assertTrue(rows.get(i).startsWith(i + ","), rows.toString());
        }
        assertTrue(Files.readString(dir.resolve("manifest.json")).contains("\"status\" : \"finished\""));
        for (double v : TrainFixture.checkpointTheta(dir)) {
            assertTrue(Double.isFinite(v));
        }
    }

    @Test
    void killedWhileTrainingResumesAndFinishes() throws Exception {
        Path dir = tmp.resolve("train");
        Path config = Path.of(TrainFixture.tiny(dir, 6, 1).config());
        Process p = child(dir, config, 6, false, null);
        Path ckpts = dir.resolve(Checkpoint.FOLDER);
        await(p, () -> {
            try {
                return !Checkpoint.names(ckpts).isEmpty() && Files.readAllLines(dir.resolve("metrics.csv")).size() > 3;
            } catch (Exception e) {
                return false;
            }
        }, "a checkpoint and a step after it");
        p.destroyForcibly().waitFor();   // SIGKILL
        String newest = Checkpoint.names(ckpts).get(0);
        resumeAndFinish(dir, config, 6, newest);
    }

    @Test
    void killedInsideACheckpointWriteResumesFromThePreviousOne() throws Exception {
        Path dir = tmp.resolve("write");
        Path config = Path.of(TrainFixture.tiny(dir, 6, 1).config());
        Path marker = tmp.resolve("paused");
        // Checkpoints at 2, then the second checkpoint write (step 4) pauses half way.
        Process p = child(dir, config, 6, false, FaultPoint.CHECKPOINT_WRITE.spec(2, marker));
        await(p, () -> Files.exists(marker), "the paused checkpoint write");
        p.destroyForcibly().waitFor();
        List<String> names = Checkpoint.names(dir.resolve(Checkpoint.FOLDER));
        assertEquals(1, names.size(), names.toString());
        assertTrue(names.get(0).startsWith("ckpt-00000002-"), names.toString());
        resumeAndFinish(dir, config, 6, names.get(0));
        try (var s = Files.list(dir.resolve(Checkpoint.FOLDER))) {
            assertTrue(s.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "temp file of the killed write removed");
        }
    }

    @Test
    void sigtermWritesACheckpointOfTheLastStepAndStops() throws Exception {
        Path dir = tmp.resolve("term");
        Path config = Path.of(TrainFixture.tiny(dir, 50, 1).config());
        Process p = child(dir, config, 50, false, null);
        await(p, () -> {
            try {
                return Files.readAllLines(dir.resolve("metrics.csv")).size() > 1;
            } catch (Exception e) {
                return false;
            }
        }, "a first outer step");
        p.destroy();   // SIGTERM: the shutdown hook asks the trainer to checkpoint and stop
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child did not stop after SIGTERM");
        String log = Files.readString(tmp.resolve("term.log"), StandardCharsets.UTF_8);
        assertTrue(log.contains("stopped at outer step"), log);
        int rows = Files.readAllLines(dir.resolve("metrics.csv")).size() - 1;
        Checkpoint ck = Checkpoint.newest(dir, org.nd4j.linalg.api.buffer.DataType.FLOAT, m -> {}).checkpoint();
        assertEquals(rows, ck.learner().step(), "the stop checkpoint holds every step written");
        assertTrue(rows < 50);
    }
}
