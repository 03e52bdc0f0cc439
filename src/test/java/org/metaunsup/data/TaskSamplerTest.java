package org.metaunsup.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.metaunsup.BadInputException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Determinism, balance and disjointness of sampled tasks. */
class TaskSamplerTest {

    private static final Dataset ALPHA = Datasets.load("alphabet14").train();

    @Test
    void sameSeedSameTaskDifferentSeedDifferentTask() {
        TaskSampler s = new TaskSampler(ALPHA, TaskConfig.defaults().withAugmentation(Augmentation.ALPHABET));
        Task a = s.sample(42);
        Task b = s.sample(42);
        Task c = s.sample(43);
        assertArrayEquals(a.classes(), b.classes());
        assertArrayEquals(a.permutation(), b.permutation());
        assertArrayEquals(a.support().x(), b.support().x());
        assertArrayEquals(a.query().x(), b.query().x());
        assertArrayEquals(a.unlabelled(5, 128).x(), b.unlabelled(5, 128).x());
        assertFalse(Arrays.equals(a.support().x(), c.support().x()));
        assertFalse(Arrays.equals(a.permutation(), c.permutation()));
        // A fresh batch per inner step; the same step repeats exactly.
        assertFalse(Arrays.equals(a.unlabelledIndices(0, 128), a.unlabelledIndices(1, 128)));
        assertArrayEquals(a.unlabelledIndices(7, 64), s.sample(42).unlabelledIndices(7, 64));
    }

    @Test
    void supportAndQueryAreBalancedDisjointAndFromTheTaskClasses() {
        TaskSampler s = new TaskSampler(ALPHA, TaskConfig.defaults());
        for (long seed = 0; seed < 20; seed++) {
            Task t = s.sample(seed);
            assertEquals(10, t.ways());
            assertEquals(10, new HashSet<>(Arrays.stream(t.classes()).boxed().toList()).size());
            int[] counts = new int[10];
            for (int y : t.support().y()) {
                counts[y]++;
            }
            assertArrayEquals(new int[] {10, 10, 10, 10, 10, 10, 10, 10, 10, 10}, counts);
            Set<Integer> sup = set(t.supportIndices());
            Set<Integer> qry = set(t.queryIndices());
            assertEquals(100, sup.size());
            assertEquals(100, qry.size());
            sup.retainAll(qry);
            assertTrue(sup.isEmpty(), "support and query overlap");
            for (int i = 0; i < 100; i++) {
                assertEquals(t.classes()[t.support().y()[i]], ALPHA.label(t.supportIndices()[i]));
                assertEquals(t.classes()[t.query().y()[i]], ALPHA.label(t.queryIndices()[i]));
            }
            Set<Integer> classes = set(t.classes());
            Set<Integer> labelled = set(t.supportIndices());
            labelled.addAll(set(t.queryIndices()));
            for (int i : t.unlabelledIndices(seed, 128)) {
                assertTrue(classes.contains(ALPHA.label(i)), "unlabelled image outside task classes");
                assertFalse(labelled.contains(i), "unlabelled batch reuses a support/query image");
            }
            assertEquals(128, set(t.unlabelledIndices(seed, 128)).size(), "no repeats within a batch");
        }
    }

    @Test
    void permutationIsAPermutationAndPermutedColumnsFollowIt() {
        Task t = new TaskSampler(ALPHA, TaskConfig.defaults()).sample(9);
        int[] p = t.permutation();
        int[] sorted = p.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            assertEquals(i, sorted[i]);
        }
        Batch x = t.support();
        Batch xp = t.permutedSupport();
        assertEquals(x.x()[3 * 196 + p[17]], xp.x()[3 * 196 + 17]);
        Task id = new TaskSampler(ALPHA, TaskConfig.defaults().withPermute(false)).sample(9);
        assertEquals(5, id.permutation()[5]);
    }

    @Test
    void batchesConvertToIndarraysOfTheRequestedType() {
        Task t = new TaskSampler(ALPHA, TaskConfig.defaults().withShape(3, 4, 4)).sample(1);
        INDArray x = t.support().features(DataType.DOUBLE);
        assertEquals(DataType.DOUBLE, x.dataType());
        assertArrayEquals(new long[] {12, 196}, x.shape());
        assertEquals(t.support().x()[196 + 50], x.getDouble(1, 50), 1e-7);
        INDArray y = t.query().oneHot(3, DataType.FLOAT);
        assertEquals(12.0, y.sumNumber().doubleValue(), 0);
        assertEquals(1.0, y.getDouble(5, t.query().y()[5]), 0);
        assertArrayEquals(new long[] {64, 196}, t.unlabelled(0, 64).features(DataType.FLOAT).shape());
    }

    @Test
    void augmentationChangesImagesButKeepsRangeAndDeterminism() {
        TaskConfig plain = TaskConfig.defaults().withPermute(false);
        Task a = new TaskSampler(ALPHA, plain).sample(3);
        Task b = new TaskSampler(ALPHA, plain.withAugmentation(Augmentation.ALPHABET)).sample(3);
        assertArrayEquals(a.supportIndices(), b.supportIndices(), "augmentation does not change the draw");
        assertFalse(Arrays.equals(a.support().x(), b.support().x()));
        for (float v : b.unlabelled(0, 128).x()) {
            assertTrue(v >= 0 && v <= 1, "pixel out of [0,1]: " + v);
        }
        // Mean intensity stays in the same range (distortions are small).
        double ma = mean(a.support().x());
        double mb = mean(b.support().x());
        assertTrue(Math.abs(ma - mb) < 0.5 * ma, ma + " vs " + mb);
    }

    @Test
    void refusesTasksTheDataCannotSupply() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> new TaskSampler(ALPHA, TaskConfig.defaults().withShape(27, 10, 10)));
        assertTrue(e.getMessage().contains("27-way task needs 27 classes"), e.getMessage());
    }

    private static Set<Integer> set(int[] a) {
        return new HashSet<>(Arrays.stream(a).boxed().toList());
    }

    private static double mean(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x;
        }
        return s / v.length;
    }
}
