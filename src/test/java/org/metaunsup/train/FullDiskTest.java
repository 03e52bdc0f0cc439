package org.metaunsup.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metaunsup.testing.SmallDisk;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The disk of a run fills up while it trains: the run ends with one line (exit 1 or 2), its last
 * good checkpoint is intact, and once space is freed {@code --resume} reaches the target.
 */
class FullDiskTest {

    @TempDir
    Path tmp;

    @Test
    void aFullDiskEndsTheRunWithOneLineAndTheResumeContinues() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(tmp.resolve("disk"), 48)) {
            Path dir = disk.dir().resolve("run");
            Path config = RunChild.config(tmp.resolve("cfg"));
            RunChild p = RunChild.start(dir, config, 400, false, null, false, 0, tmp.resolve("run.log"));
            p.await(() -> RunChild.hasCheckpoint(dir) && RunChild.rowsAbove(dir, 3), "a checkpoint and steps after it");
            disk.fill();
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
            disk.free();
            long target = step + 4;
            RunChild r = RunChild.start(dir, config, target, true, null, false, 0, tmp.resolve("resume.log"));
            assertEquals(0, r.finish(), r.output());
            assertTrue(r.output().contains("resuming from checkpoint " + last.name()), r.output());
            RunChild.assertIntact(dir, target);
        }
    }
}
