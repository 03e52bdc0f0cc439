package org.metaunsup.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.metaunsup.BadInputException;
import org.metaunsup.config.ConfigLoader;
import org.metaunsup.config.DatasetMix;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.data.Task;
import org.metaunsup.util.Seeds;
import org.nd4j.linalg.api.buffer.DataType;

/** task.datasets: parsing and checking, proportions from the seed, determinism, the single-dataset default. */
class DatasetMixTest {

    private static ExperimentConfig tinyWith(String datasets) {
        Map<String, String> m = new LinkedHashMap<>(ConfigLoader.load("tiny").toProperties());
        m.put("task.datasets", datasets);
        return ConfigLoader.resolve("tiny-mix", m);
    }

    @Test
    void builtInConfigsDrawFromTheAlphabetAlone() {
        for (String c : new String[] {"tiny", "small", "paper"}) {
            assertEquals(DatasetMix.ALPHABET, ConfigLoader.load(c).task().datasets(), c);
        }
        assertEquals("alphabet", ConfigLoader.load("tiny").toProperties().get("task.datasets"));
        for (long seed = 0; seed < 100; seed++) {
            assertEquals(0, WorkerContext.datasetOf(DatasetMix.ALPHABET, seed));
        }
    }

    @Test
    void parsesWeightsAndRoundTrips() {
        ExperimentConfig c = tinyWith("glyphs:0.8, alphabet:0.2");
        assertEquals(2, c.task().datasets().entries().size());
        assertEquals("glyphs:0.8,alphabet:0.2", c.toProperties().get("task.datasets"));
        assertEquals(c, ConfigLoader.resolve("tiny-mix", c.toProperties()));
        assertEquals("glyphs:3,alphabet:1", tinyWith("glyphs:3,alphabet").toProperties().get("task.datasets"));
    }

    @Test
    void meaninglessValuesAreOneLineNamingTheKey() {
        for (String bad : new String[] {"", "mnist", "glyphs:0", "glyphs:-1", "glyphs:x", "glyphs,glyphs",
                "glyphs:NaN", "alphabet14"}) {
            BadInputException e = assertThrows(BadInputException.class, () -> tinyWith(bad), bad);
            assertTrue(e.getMessage().contains("task.datasets"), e.getMessage());
        }
    }

    @Test
    void proportionsFollowTheWeightsAndTheSeed() {
        DatasetMix mix = tinyWith("glyphs:0.8,alphabet:0.2").task().datasets();
        int n = 20000;
        int glyphs = 0;
        for (long i = 0; i < n; i++) {
            long taskSeed = Seeds.derive(7, "task-data/w0/task" + i);
            int k = WorkerContext.datasetOf(mix, taskSeed);
            assertEquals(k, WorkerContext.datasetOf(mix, taskSeed), "a pure function of the task seed");
            glyphs += k == 0 ? 1 : 0;
        }
        double p = glyphs / (double) n;
        // Binomial sd at n = 20000 is 0.0028: 0.8 +- 4 sd.
        assertEquals(0.8, p, 0.012, "share of glyph tasks");
    }

    @Test
    void tasksOfAMixComeFromTheDrawnDatasetDeterministically() {
        ExperimentConfig c = tinyWith("glyphs:0.5,alphabet:0.5");
        try (WorkerContext a = new WorkerContext(c, 3, DataType.FLOAT, 1);
             WorkerContext b = new WorkerContext(c, 3, DataType.FLOAT, 1)) {
            int seen = 0;
            for (long i = 0; i < 40; i++) {
                long seed = Seeds.derive(3, "task-data/w0/task" + i);
                Task t = a.task(seed);
                Task u = b.task(seed);
                String expected = WorkerContext.datasetOf(c.task().datasets(), seed) == 0 ? "glyphs" : "alphabet";
                assertTrue(t.dataset().name().startsWith(expected), t.dataset().name() + " vs " + expected);
                assertEquals(Arrays.toString(t.classes()), Arrays.toString(u.classes()));
                assertEquals(Arrays.toString(t.support().x()), Arrays.toString(u.support().x()));
                seen |= expected.equals("glyphs") ? 1 : 2;
            }
            assertEquals(3, seen, "both datasets drawn");
        }
    }

    @Test
    void aDatasetThatCannotFillTheInnerBatchIsOneLine() {
        Map<String, String> m = new LinkedHashMap<>(ConfigLoader.load("small").toProperties());
        m.put("task.datasets", "glyphs:0.8,alphabet:0.2");
        m.put("inner.batch", "128");
        ExperimentConfig c = ConfigLoader.resolve("small-mix", m);
        BadInputException e = assertThrows(BadInputException.class, () -> WorkerContext.trainingData(c));
        assertTrue(e.getMessage().contains("fewer than inner.batch = 128"), e.getMessage());
    }
}
