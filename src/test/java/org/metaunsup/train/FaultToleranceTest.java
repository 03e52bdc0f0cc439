package org.metaunsup.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.metaunsup.BadInputException;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The long-work contract under faults (docs/RELIABILITY.md), in child JVMs as a user runs them: a
 * kill -9 at named moments, a killed launcher, a second writer, a SIGTERM while a worker is stuck.
 * After each fault a {@code --resume} reaches the target with {@link RunChild#assertIntact}.
 * The seeded loop of kills at random moments is {@link FaultInjectionLoopTest} (tag {@code slow}).
 */
class FaultToleranceTest {

    @TempDir
    Path tmp;

    private void resumeToTarget(Path dir, Path config, long steps, int evalSteps) throws Exception {
        RunChild r = RunChild.start(dir, config, steps, true, null, false, evalSteps, tmp.resolve("resume.log"));
        assertEquals(0, r.finish(), r.output());
        RunChild.assertIntact(dir, steps);
    }

    /** The reproduction: the launcher killed with -9, its child left; resume at once. */
    @Test
    void aKilledLauncherTakesItsChildAlongAndTheResumeIsClean() throws Exception {
        Path dir = tmp.resolve("launcher");
        Path config = RunChild.config(dir);
        RunChild p = RunChild.start(dir, config, 8, false, null, true, 0, tmp.resolve("run.log"));
        p.await(() -> RunChild.hasCheckpoint(dir) && RunChild.rowsAbove(dir, 2), "a checkpoint and a step after it");
        List<ProcessHandle> children = p.process.descendants().toList();
        assertFalse(children.isEmpty(), "the launcher relaunched a child JVM");
        p.process.destroyForcibly().waitFor();   // SIGKILL of the launcher only, as `kill -9 <pid>` does
        long t0 = System.nanoTime();
        for (ProcessHandle c : children) {
            c.onExit().get(10, TimeUnit.SECONDS);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(seconds < 5, "the orphan ended " + seconds + " s after its launcher");
        resumeToTarget(dir, config, 8, 0);
    }

    @Test
    void aSecondWriterOnAFolderInUseIsRefused() throws Exception {
        Path dir = tmp.resolve("two");
        Path config = RunChild.config(dir);
        RunChild first = RunChild.start(dir, config, 200, false, null, false, 0, tmp.resolve("first.log"));
        first.await(() -> RunChild.rowsAbove(dir, 1), "a first outer step");
        RunChild second = RunChild.start(dir, config, 200, true, null, false, 0, tmp.resolve("second.log"));
        assertEquals(2, second.finish());
        String out = second.output().strip();
        assertTrue(out.lines().anyMatch(l -> l.startsWith("error: ") && l.contains("is in use by another metatrain")
                && l.contains("process " + first.process.pid())), out);
        assertTrue(first.process.isAlive(), "the first run is untouched");
        first.killAll();
        long at = Checkpoint.newest(dir, DataType.FLOAT, m -> {}).checkpoint().learner().step();
        resumeToTarget(dir, config, at + 4, 0);
    }

    /** A kill -9 at each named moment of the run; the resume repairs what the moment left. */
    @ParameterizedTest
    @EnumSource(value = FaultPoint.class, names = {"THETA_EXPORT", "METRICS_ROW", "EVALUATION"})
    void killedAtANamedMomentResumesIntact(FaultPoint point) throws Exception {
        Path dir = tmp.resolve(point.key());
        Path config = RunChild.config(dir);
        Path marker = tmp.resolve(point.key() + ".paused");
        int evalSteps = point == FaultPoint.EVALUATION ? 2 : 0;
        RunChild p = RunChild.start(dir, config, 6, false, point.spec(2, marker), false, evalSteps,
                tmp.resolve("run.log"));
        p.await(() -> Files.exists(marker), "the pause at " + point.key());
        p.killAll();
        resumeToTarget(dir, config, 6, evalSteps);
    }

    /** SIGTERM while the only worker is stuck (paused right after its graph build): a prompt stop. */
    @Test
    void sigtermDoesNotWaitForAStuckWorker() throws Exception {
        Path dir = tmp.resolve("term");
        Path config = RunChild.config(dir);
        Path marker = tmp.resolve("build.paused");
        RunChild p = RunChild.start(dir, config, 6, false, FaultPoint.GRAPH_BUILD.spec(1, marker), false, 0,
                tmp.resolve("run.log"));
        p.await(() -> Files.exists(marker), "the paused graph build");
        long t0 = System.nanoTime();
        p.process.destroy();   // SIGTERM
        assertTrue(p.process.waitFor(20, TimeUnit.SECONDS), "stopped within 20 s:\n" + p.output());
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(seconds < 10, "SIGTERM to exit took " + seconds + " s");
        assertTrue(p.output().contains("stopped at outer step 0"), p.output());
        String manifest = Files.readString(dir.resolve("manifest.json"));
        assertTrue(manifest.contains("\"status\" : \"stopped\""), manifest);
        resumeToTarget(dir, config, 4, 0);
    }

    @Test
    void aMalformedOrSilentSparkMasterIsOneLineAtOnce() throws Exception {
        Path dir = tmp.resolve("spark");
        MetaTrainer.Options o = TrainFixture.tiny(dir, 2, 1);
        BadInputException malformed = assertThrows(BadInputException.class,
                () -> new MetaTrainer(o.withEngine("spark", "sprak://127.0.0.1:7077"), new TrainFixture.Log(), null));
        assertTrue(malformed.getMessage().contains("not a Spark master URL"), malformed.getMessage());
        long t0 = System.nanoTime();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();   // free now, nothing listens once closed
        }
        int closed = port;
        BadInputException silent = assertThrows(BadInputException.class,
                () -> new MetaTrainer(o.withEngine("spark", "spark://127.0.0.1:" + closed), new TrainFixture.Log(), null));
        assertTrue(silent.getMessage().contains("nothing answers at 127.0.0.1:" + closed), silent.getMessage());
        assertTrue((System.nanoTime() - t0) / 1e9 < SparkMaster.CONNECT_TIMEOUT_MILLIS / 1000.0 + 2);
        assertFalse(Files.exists(dir), "nothing written");
    }
}
