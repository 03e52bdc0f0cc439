package org.metaunsup.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One worker, threads engine: the same seed gives a bit-identical θ, and 2 steps, stop, resume, 2
 * more equals 4 straight steps bit for bit (also when the stop comes as a request mid-run, as
 * SIGTERM does).
 */
class TrainingDeterminismTest {

    @TempDir
    Path tmp;

    @Test
    void sameSeedSameThetaAndResumeEqualsStraight() throws Exception {
        Path a = tmp.resolve("a");
        TrainFixture.Log la = new TrainFixture.Log();
        TrainFixture.run(TrainFixture.tiny(a, 4, 1), la, null);
        double[] straight = TrainFixture.checkpointTheta(a);

        Path b = tmp.resolve("b");
        TrainFixture.run(TrainFixture.tiny(b, 4, 1), new TrainFixture.Log(), null);
        assertArrayEquals(straight, TrainFixture.checkpointTheta(b), 0.0, "same seed, same theta");

        Path c = tmp.resolve("c");
        TrainFixture.run(TrainFixture.tiny(c, 2, 1), new TrainFixture.Log(), null);
        TrainFixture.Log lc = new TrainFixture.Log();
        MetaTrainer.Result r = TrainFixture.run(TrainFixture.tiny(c, 4, 1).resuming(), lc, null);
        assertEquals(4, r.step());
        assertArrayEquals(straight, TrainFixture.checkpointTheta(c), 0.0, "2 + resume + 2 = 4 straight");
        assertEquals(losses(la.rows.subList(2, 4)), losses(lc.rows));
        assertEquals(metaLosses(a), metaLosses(c), "metrics rows of the resumed run are those of the straight one");

        // A stop request (what SIGTERM does) after the first row: checkpoint, then resume to 4.
        Path d = tmp.resolve("d");
        TrainFixture.Log ld = new TrainFixture.Log();
        MetaTrainer.Result stopped = new MetaTrainer(TrainFixture.tiny(d, 4, 1), ld, null).run(() -> !ld.rows.isEmpty());
        assertTrue(stopped.stopped() && stopped.step() < 4, "stopped at " + stopped.step());
        TrainFixture.run(TrainFixture.tiny(d, 4, 1).resuming(), new TrainFixture.Log(), null);
        assertArrayEquals(straight, TrainFixture.checkpointTheta(d), 0.0, "stop + resume = straight");
        assertEquals(metaLosses(a), metaLosses(d));
    }

    private static List<Double> losses(List<MetricsRow> rows) {
        return rows.stream().map(MetricsRow::metaLoss).toList();
    }

    /** Step and meta-loss columns of metrics.csv (wall time and rates differ between runs). */
    private static List<String> metaLosses(Path dir) throws Exception {
        return Files.readAllLines(dir.resolve("metrics.csv")).stream().map(l -> {
            String[] c = l.split(",");
            return c[0] + "," + c[2] + "," + c[4];
        }).toList();
    }
}
