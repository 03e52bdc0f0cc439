package org.metaunsup.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The forward estimators and the task pool inside meta-training, one worker (threads engine): the
 * same seed gives a bit-identical θ, and 2 steps, resume, 2 more equals 4 straight steps bit for bit
 * — PES's pairs and ξ, and the pool's serving order (2 is not a multiple of the pool of 3), come
 * back from the checkpoint exactly; each round serves every slot once; staggered slots start their
 * first task at different inner steps; one Spark worker gives the threads engine's θ.
 */
class EstimatorTrainingTest {

    /**
     * A pool of 3 staggered slots; forward truncations of 2 steps, 1 pair, long tasks; η = 0.05 so
     * that θ ± σε moves φ beyond float32 round-off within a truncation (at tiny's η = 1e-4 the two
     * sides' losses are equal in float32 and every forward estimate is exactly zero).
     */
    static final String POOL = "task.pool = 3\ntask.stagger = true\ntask.inner_steps = 20..40\ninner.eta = 0.05\n";

    static String estimator(String e) {
        return POOL + "outer.estimator = " + e + "\nouter.sigma = 0.01\nouter.pairs = 1\nouter.forward_truncation = 2\n";
    }

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"backprop", "es", "pes"})
    void sameSeedSameThetaAndResumeEqualsStraight(String est) throws Exception {
        String extra = estimator(est);
        List<Truncation> seen = Collections.synchronizedList(new ArrayList<>());
        MetaTrainer.Hooks tap = new MetaTrainer.Hooks();
        tap.tap = t -> {
            seen.add(t);
            return t;
        };
        Path a = tmp.resolve("a");
        TrainFixture.run(TrainFixture.tiny(a, 4, 1, extra), new TrainFixture.Log(), tap);
        double[] straight = TrainFixture.checkpointTheta(a);
        List<Integer> served = seen.stream().map(Truncation::workerId).toList();
        assertEquals(Set.of(0, 1, 2), Set.copyOf(served.subList(0, 3)),
                "the first round serves every slot once: " + served);
        List<Long> starts = new ArrayList<>();
        for (Truncation t : seen) {
            assertTrue(Arrays.stream(t.gradient()).anyMatch(g -> g != 0) && t.isFinite(),
                    "a finite, non-zero estimate");
        }
        for (Truncation t : seen.subList(0, 3)) {
            assertEquals(est.equals("backprop") ? 2 : 4, t.innerSteps(), "inner steps of one estimate");
            starts.add(t.after().task().step() - t.k());
            if (est.equals("pes")) {
                assertEquals(1, t.after().task().particles().size());
                assertTrue(Arrays.stream(t.after().task().particles().get(0).xi()).anyMatch(x -> x != 0));
            } else {
                assertTrue(t.after().task().particles().isEmpty());
            }
        }
        assertTrue(starts.stream().distinct().count() > 1 && starts.stream().anyMatch(s -> s > 0),
                "staggered first tasks start at different steps: " + starts);
        for (double v : straight) {
            assertTrue(Double.isFinite(v));
        }

        Path b = tmp.resolve("b");
        TrainFixture.run(TrainFixture.tiny(b, 4, 1, extra), new TrainFixture.Log(), null);
        assertArrayEquals(straight, TrainFixture.checkpointTheta(b), 0.0, "same seed, same theta");

        Path c = tmp.resolve("c");
        TrainFixture.run(TrainFixture.tiny(c, 2, 1, extra), new TrainFixture.Log(), null);
        MetaTrainer.Result r = TrainFixture.run(TrainFixture.tiny(c, 4, 1, extra).resuming(), new TrainFixture.Log(),
                null);
        assertEquals(4, r.step());
        assertArrayEquals(straight, TrainFixture.checkpointTheta(c), 0.0, "2 + resume + 2 = 4 straight");
    }

    @Test
    void theEstimatorChangesTheGradient() throws Exception {
        // Without stagger every slot's first task (T >= 20) outlasts its first two truncations.
        String es1 = estimator("es") + "task.stagger = false\n";
        String pes1 = estimator("pes") + "task.stagger = false\n";
        Path es = tmp.resolve("es");
        Path pes = tmp.resolve("pes");
        TrainFixture.run(TrainFixture.tiny(es, 2, 1, es1), new TrainFixture.Log(), null);
        TrainFixture.run(TrainFixture.tiny(pes, 2, 1, pes1), new TrainFixture.Log(), null);
        // The first truncation of each slot is the same for both (ξ = ε, equal states); they part
        // only from a slot's second truncation on, so 2 steps of a pool of 3 are still equal.
        assertArrayEquals(TrainFixture.checkpointTheta(es), TrainFixture.checkpointTheta(pes), 0.0);
        Path es4 = tmp.resolve("es4");
        Path pes4 = tmp.resolve("pes4");
        TrainFixture.run(TrainFixture.tiny(es4, 4, 1, es1), new TrainFixture.Log(), null);
        TrainFixture.run(TrainFixture.tiny(pes4, 4, 1, pes1), new TrainFixture.Log(), null);
        assertFalse(Arrays.equals(TrainFixture.checkpointTheta(es4), TrainFixture.checkpointTheta(pes4)),
                "a slot's second truncation differs between ES and PES");
    }

    @Test
    void oneSparkWorkerGivesTheThreadsEnginesThetaWithPesAndAPool() throws Exception {
        String extra = estimator("pes");
        Path spark = tmp.resolve("spark");
        TrainFixture.run(TrainFixture.tiny(spark, 4, 1, extra).withEngine("spark", "local[1]"), new TrainFixture.Log(),
                null);
        Path threads = tmp.resolve("threads");
        TrainFixture.run(TrainFixture.tiny(threads, 4, 1, extra), new TrainFixture.Log(), null);
        assertArrayEquals(TrainFixture.checkpointTheta(threads), TrainFixture.checkpointTheta(spark), 0.0);
    }
}
