package org.metaunsup.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.metaunsup.testing.SmallDisk;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The disk of a run fills up: while it trains (at whatever write comes next), inside a checkpoint
 * write, or between a checkpoint and its θ export (the run paused at that {@link FaultPoint}, the
 * disk filled, the run let go on). The run ends with one line (exit 1 or 2), its last good
 * checkpoint is intact, and once space is freed {@code --resume} reaches the target.
 */
class FullDiskTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"training", "checkpoint-write", "theta-export"})
    void aFullDiskEndsTheRunWithOneLineAndTheResumeContinues(String when) throws Exception {
        try (SmallDisk disk = SmallDisk.mount(tmp.resolve("disk"), 48)) {
            Path dir = disk.dir().resolve("run");
            Path config = RunChild.config(tmp.resolve("cfg"));
            Path marker = tmp.resolve("paused");
            String fault = when.equals("training") ? null
                    : when.equals("checkpoint-write") ? FaultPoint.CHECKPOINT_WRITE.spec(2, marker)
                    : FaultPoint.THETA_EXPORT.spec(2, marker);
            RunChild p = RunChild.start(dir, config, 400, false, fault, false, 0, tmp.resolve("run.log"));
            if (fault == null) {
                p.await(() -> RunChild.hasCheckpoint(dir) && RunChild.rowsAbove(dir, 3), "a checkpoint and steps after it");
                disk.fill();
            } else {
                p.await(() -> Files.exists(marker), "the pause at " + when);
                disk.fill();
                Files.delete(marker);   // go on, onto a full disk
            }
            int code = p.finish();
            String out = p.output();
            assertTrue(code == 1 || code == 2, "exit " + code + ":\n" + out);
            List<String> errors = out.lines().filter(l -> l.startsWith("error") || l.startsWith("internal error")
                    || l.contains("\tat ")).toList();
            assertEquals(1, errors.size(), out);
            assertTrue(errors.get(0).toLowerCase(Locale.ROOT).contains("no space left on device"), errors.get(0));
            Checkpoint.Found last = Checkpoint.newest(dir, DataType.FLOAT, m -> {
                throw new AssertionError("a checkpoint was damaged by the full disk: " + m);
            });
            long step = last.checkpoint().learner().step();
            if (when.equals("checkpoint-write")) {
                assertEquals(2, step, "the checkpoint of step 4 never counted");
            } else if (when.equals("theta-export")) {
                assertEquals(4, step, "the checkpoint of step 4 is complete, its θ card is not");
            }
            // A full disk may not take the manifest's last word either: it is then the previous one, whole.
            String status = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(dir.resolve("manifest.json").toFile()).path("status").asText();
            assertTrue(status.equals("failed") || status.equals("running"), status);
            disk.free();
            long target = step + 4;
            RunChild r = RunChild.start(dir, config, target, true, null, false, 0, tmp.resolve("resume.log"));
            assertEquals(0, r.finish(), r.output());
            assertTrue(r.output().contains("resuming from checkpoint " + last.name()), r.output());
            RunChild.assertIntact(dir, target);
        }
    }
}
