package org.metaunsup.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metaunsup.BadInputException;
import org.metaunsup.config.ConfigLoader;
import org.metaunsup.rule.ThetaSpec;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Meta-training on {@code tiny} with the threads engine: files, resume, checkpoints, dropped gradients. */
class MetaTrainingTest {

    @TempDir
    Path tmp;

    @Test
    void twoWorkersWriteFiniteThetaAndEveryFile() throws Exception {
        Path dir = tmp.resolve("run");
        TrainFixture.Log log = new TrainFixture.Log();
        MetaTrainer.Result r = TrainFixture.run(TrainFixture.tiny(dir, 5, 2).withEvaluation(2, 1), log, null);
        assertEquals(5, r.step());
        assertEquals(5, r.applied());
        for (String f : List.of("config.properties", "manifest.json", "metrics.jsonl", "metrics.csv", "eval.jsonl",
                "eval.csv", "curves.png", "theta/step-00000005.theta.fb", "theta/step-00000005.json")) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), f);
        }
        assertEquals(6, Files.readAllLines(dir.resolve("metrics.csv")).size());   // header + 5 steps
        assertEquals(5, Files.readAllLines(dir.resolve("metrics.jsonl")).size());
        assertEquals(3, Files.readAllLines(dir.resolve("eval.csv")).size());      // header + steps 2, 4
        String manifest = Files.readString(dir.resolve("manifest.json"));
        assertTrue(manifest.contains("\"status\" : \"finished\""), manifest);
        for (double v : TrainFixture.checkpointTheta(dir)) {
            assertTrue(Double.isFinite(v));
        }
        // The export is plain SameDiff FlatBuffers: theta/<name> variables of the spec's shapes.
        ThetaSpec spec = new ThetaSpec(ConfigLoader.load("tiny").rule(), ConfigLoader.load("tiny").base().topWidth());
        SameDiff sd = SameDiff.fromFlatFile(new File(dir.resolve("theta/step-00000005.theta.fb").toString()));
        for (ThetaSpec.Tensor t : spec.tensors()) {
            INDArray a = sd.getVariable("theta/" + t.name()).getArr();
            assertArrayEquals(t.shape(), a.shape(), t.name());
            assertTrue(!a.isNaN().any() && !a.isInfinite().any());
        }
        String card = Files.readString(dir.resolve("theta/step-00000005.json"));
        for (String key : List.of("config_properties", "version", "commit", "seeds", "outer_step", "engine",
                "workers", "wall_seconds", "training_data", "md5")) {
            assertTrue(card.contains("\"" + key + "\""), key);
        }
        Map<String, Object> row = log.rows.get(4).toMap();
        for (String c : MetaTrainer.METRIC_COLUMNS) {
            assertTrue(row.containsKey(c), c);
        }
        assertEquals(Checkpoint.KEEP, Checkpoint.names(dir.resolve(Checkpoint.FOLDER)).size());   // of 2, 4, 5
    }

    @Test
    void nonFiniteGradientIsDroppedAndCounted() throws Exception {
        Path dir = tmp.resolve("nan");
        AtomicBoolean injected = new AtomicBoolean();
        MetaTrainer.Hooks hooks = new MetaTrainer.Hooks();
        hooks.tap = t -> {
            if (injected.compareAndSet(false, true)) {
                double[] g = t.gradient().clone();
                g[g.length / 2] = Double.NaN;
                return t.withGradient(g);
            }
            return t;
        };
        MetaTrainer.Result r = TrainFixture.run(TrainFixture.tiny(dir, 3, 2), new TrainFixture.Log(), hooks);
        assertTrue(injected.get());
        assertEquals(1, r.dropped());
        assertEquals(3, r.applied());
        assertTrue(r.received() >= 4);
        for (double v : TrainFixture.checkpointTheta(dir)) {
            assertTrue(Double.isFinite(v));
        }
        List<String> lines = Files.readAllLines(dir.resolve("metrics.csv"));
        assertTrue(lines.get(lines.size() - 1).split(",")[8].equals("1"), lines.toString());   // dropped column
    }

    @Test
    void damagedCheckpointIsRefusedAndThePreviousOneUsed() throws Exception {
        Path dir = tmp.resolve("damaged");
        TrainFixture.run(TrainFixture.tiny(dir, 3, 1), new TrainFixture.Log(), null);   // checkpoints 2, 3
        List<String> names = Checkpoint.names(dir.resolve(Checkpoint.FOLDER));
        assertEquals(2, names.size());
        Path newest = dir.resolve(Checkpoint.FOLDER).resolve(names.get(0) + ".bin");
        byte[] b = Files.readAllBytes(newest);
        b[b.length / 2] ^= 0x10;
        Files.write(newest, b);
        TrainFixture.Log log = new TrainFixture.Log();
        MetaTrainer.Result r = TrainFixture.run(TrainFixture.tiny(dir, 4, 1).resuming(), log, null);
        assertEquals(4, r.step());
        assertTrue(log.messages.stream().anyMatch(m -> m.startsWith("checkpoint " + names.get(0) + " refused")),
                log.messages.toString());
        assertTrue(log.messages.stream().anyMatch(m -> m.startsWith("resuming from checkpoint " + names.get(1))),
                log.messages.toString());
        // Rows after the checkpoint used were cut and computed again: one row per step.
        assertEquals(5, Files.readAllLines(dir.resolve("metrics.csv")).size());
    }

    @Test
    void aRunFolderIsRefusedWithAnotherConfigOrWithoutResume() throws Exception {
        Path dir = tmp.resolve("cfg");
        TrainFixture.run(TrainFixture.tiny(dir, 1, 1), new TrainFixture.Log(), null);
        BadInputException again = assertThrows(BadInputException.class,
                () -> TrainFixture.run(TrainFixture.tiny(dir, 2, 1), new TrainFixture.Log(), null));
        assertTrue(again.getMessage().contains("add --resume"), again.getMessage());
        Path other = tmp.resolve("other.properties");
        Files.writeString(other, TrainFixture.CONFIG + "outer.lr = 1e-2\n");
        MetaTrainer.Options o = new MetaTrainer.Options(dir, other.toString(), 2, 1, "threads", null, true, null,
                DataType.FLOAT, 0, 1);
        BadInputException e = assertThrows(BadInputException.class,
                () -> TrainFixture.run(o, new TrainFixture.Log(), null));
        assertTrue(e.getMessage().contains("outer.lr"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"));
        // Without --config, a resume takes the run folder's own.
        MetaTrainer.Options own = new MetaTrainer.Options(dir, null, 2, 1, "threads", null, true, null,
                DataType.FLOAT, 0, 1);
        assertEquals(2, TrainFixture.run(own, new TrainFixture.Log(), null).step());
        assertNotNull(Checkpoint.newest(dir, DataType.FLOAT, m -> {}));
    }
}
