package org.metaunsup.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Checkpoints written before the PES pairs and the inner-step count existed (format 1: the committed
 * {@code models/runs/small-1} checkpoint) still load: no pairs, each pending truncation's inner steps
 * = its k; written again they are format 2 and read back equal.
 */
class CheckpointFormatTest {

    @Test
    void formatOneCheckpointLoadsAndRoundTripsAsFormatTwo() throws Exception {
        Checkpoint.Found f = Checkpoint.newest(Path.of("models/runs/small-1"), DataType.FLOAT, m -> {});
        assertNotNull(f, "the committed checkpoint verifies");
        Checkpoint ck = f.checkpoint();
        assertTrue(ck.workers().size() >= 1);
        for (WorkerState w : ck.workers()) {
            assertTrue(w.task() == null || w.task().particles().isEmpty());
        }
        for (Truncation t : ck.learner().pending()) {
            assertEquals(t.k(), t.innerSteps());
        }
        byte[] again = ck.toBytes();
        Checkpoint back = Checkpoint.fromBytes(again, DataType.FLOAT);
        assertArrayEquals(ck.learner().theta(), back.learner().theta(), 0.0);
        assertArrayEquals(again, back.toBytes(), "format 2 round trip");
        assertEquals(ck.workers().size(), back.workers().size());
    }
}
