package org.metaunsup.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Spark engine in local mode inside the test JVM. */
class SparkEngineTest {

    @TempDir
    Path tmp;

    @Test
    void twoWorkersOnLocal2WriteFiniteThetaAndEveryFile() throws Exception {
        Path dir = tmp.resolve("spark2");
        MetaTrainer.Result r = TrainFixture.run(TrainFixture.tiny(dir, 4, 2).withEngine("spark", "local[2]"),
                new TrainFixture.Log(), null);
        assertEquals(4, r.step());
        assertEquals(4, r.applied());
        for (String f : List.of("config.properties", "manifest.json", "metrics.jsonl", "metrics.csv", "curves.png",
                "theta/step-00000004.theta.fb", "theta/step-00000004.json")) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), f);
        }
        assertTrue(Files.readString(dir.resolve("manifest.json")).contains("\"engine\" : \"spark\""));
        for (double v : TrainFixture.checkpointTheta(dir)) {
            assertTrue(Double.isFinite(v));
        }
    }

    @Test
    void aTaskThatThrowsOnceIsRetriedAndTheRunMatchesTheThreadsEngine() throws Exception {
        Path flag = tmp.resolve("failed-once");
        System.setProperty(SparkEngine.FAIL_ONCE_PROPERTY, flag.toString());
        Path dir = tmp.resolve("retry");
        MetaTrainer.Result r;
        try {
            r = TrainFixture.run(TrainFixture.tiny(dir, 3, 1).withEngine("spark", "local[1]"), new TrainFixture.Log(),
                    null);
        } finally {
            System.clearProperty(SparkEngine.FAIL_ONCE_PROPERTY);
        }
        assertTrue(Files.exists(flag), "the injected failure happened");
        assertEquals(3, r.step());
        assertEquals(3, r.applied());
        assertEquals(3, r.received());
        assertEquals(0, r.dropped());
        // A truncation is a pure function of its bytes: one Spark worker = one thread, bit for bit.
        Path threads = tmp.resolve("threads");
        TrainFixture.run(TrainFixture.tiny(threads, 3, 1), new TrainFixture.Log(), null);
        assertArrayEquals(TrainFixture.checkpointTheta(threads), TrainFixture.checkpointTheta(dir), 0.0);
    }
}
