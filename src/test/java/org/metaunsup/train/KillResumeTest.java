package org.metaunsup.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A meta-training child JVM killed with SIGKILL — once while it trains, once inside a checkpoint
 * write (a test hook pauses it there) — resumes from its newest good checkpoint and finishes.
 */
class KillResumeTest {

    @TempDir
    Path tmp;

    /** A direct child JVM (no relaunch, no held-out evaluation), its output in {@code <dir>[-resume].log}. */
    private RunChild child(Path dir, Path config, long steps, boolean resume, String pause) throws Exception {
        Path log = tmp.resolve(dir.getFileName() + (resume ? "-resume.log" : ".log"));
        return RunChild.start(dir, config, steps, resume, pause, false, 0, log);
    }

    private void resumeAndFinish(Path dir, Path config, long steps, String expectFrom) throws Exception {
        RunChild r = child(dir, config, steps, true, null);
        int exit = r.finish();
        String log = r.output();
        assertEquals(0, exit, log);
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
        RunChild p = child(dir, config, 6, false, null);
        Path ckpts = dir.resolve(Checkpoint.FOLDER);
        p.await(() -> RunChild.hasCheckpoint(dir) && RunChild.rowsAbove(dir, 2), "a checkpoint and a step after it");
        p.killAll();   // SIGKILL
        String newest = Checkpoint.names(ckpts).get(0);
        resumeAndFinish(dir, config, 6, newest);
    }

    @Test
    void killedInsideACheckpointWriteResumesFromThePreviousOne() throws Exception {
        Path dir = tmp.resolve("write");
        Path config = Path.of(TrainFixture.tiny(dir, 6, 1).config());
        Path marker = tmp.resolve("paused");
        // Checkpoints at 2, then the second checkpoint write (step 4) pauses half way.
        RunChild p = child(dir, config, 6, false, FaultPoint.CHECKPOINT_WRITE.spec(2, marker));
        p.await(() -> Files.exists(marker), "the paused checkpoint write");
        p.killAll();
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
        RunChild p = child(dir, config, 50, false, null);
        p.await(() -> RunChild.rowsAbove(dir, 0), "a first outer step");
        p.process.destroy();   // SIGTERM: the shutdown hook asks the trainer to checkpoint and stop
        assertTrue(p.process.waitFor(120, TimeUnit.SECONDS), "child did not stop after SIGTERM");
        String log = p.output();
        assertTrue(log.contains("stopped at outer step"), log);
        int rows = Files.readAllLines(dir.resolve("metrics.csv")).size() - 1;
        Checkpoint ck = Checkpoint.newest(dir, DataType.FLOAT, m -> {}).checkpoint();
        assertEquals(rows, ck.learner().step(), "the stop checkpoint holds every step written");
        assertTrue(rows < 50);
    }
}
