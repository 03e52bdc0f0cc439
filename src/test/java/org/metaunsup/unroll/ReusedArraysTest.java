package org.metaunsup.unroll;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.rule.Theta;
import org.metaunsup.rule.ThetaSpec;
import org.metaunsup.testing.DoublePrecision;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Gradient passes whose intermediates come from the thread's {@link ArrayPool} (the command
 * line's policy) give the same bits as SameDiff's own pass, pass after pass and with two graphs
 * of different shapes taking turns on one thread's pool; and the pool behaves as documented.
 */
@ExtendWith(DoublePrecision.class)
class ReusedArraysTest {

    private record Case(UnrollGraph graph, TruncationInputs inputs) {}

    private static Case make(BaseModelConfig base, int steps, long seed) {
        ExperimentConfig cfg = UnrollFixture.tiny(0.05);
        ThetaSpec spec = UnrollFixture.spec(cfg, base);
        UnrollGraph g = UnrollGraph.build(cfg.graph(), base, steps, Theta.init(spec, seed, DataType.DOUBLE), true,
                DataType.DOUBLE);
        return new Case(g, UnrollFixture.inputs(cfg, base, steps, seed + 1));
    }

    /** The flat meta-gradient, the meta-loss and φ after, as raw bits. */
    private static long[] bits(MetaGradient m) {
        List<Double> all = new ArrayList<>();
        all.add(m.metaLoss());
        for (double v : m.gradient().flat().data().asDouble()) {
            all.add(v);
        }
        List<INDArray> phi = new ArrayList<>(m.phiAfter().w());
        phi.addAll(m.phiAfter().v());
        phi.addAll(m.phiAfter().b());
        for (INDArray p : phi) {
            for (double v : p.data().asDouble()) {
                all.add(v);
            }
        }
        long[] b = new long[all.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = Double.doubleToRawLongBits(all.get(i));
        }
        return b;
    }

    @Test
    void pooledPassesMatchSameDiffsOwnBitForBit() {
        RuntimePolicy found = RuntimePolicy.installed();
        try {
            RuntimePolicy.NONE.install();
            Case a = make(UnrollFixture.base(16, 12, 8), 2, 61);
            Case b = make(UnrollFixture.base(16, 10, 9, 8), 1, 71);
            long[] wantA = bits(MetaGradient.compute(a.graph(), a.inputs()));
            long[] wantB = bits(MetaGradient.compute(b.graph(), b.inputs()));

            RuntimePolicy.COMMAND_LINE.install();
            Case a2 = make(UnrollFixture.base(16, 12, 8), 2, 61);
            Case b2 = make(UnrollFixture.base(16, 10, 9, 8), 1, 71);
            ArrayPool pool = ReusingMemoryMgr.threadPool();
            long hitsBefore = pool.hits();
            for (int round = 0; round < 3; round++) {
                assertArrayEquals(wantA, bits(MetaGradient.compute(a2.graph(), a2.inputs())), "graph a, round " + round);
                assertArrayEquals(wantB, bits(MetaGradient.compute(b2.graph(), b2.inputs())), "graph b, round " + round);
            }
            long hits = pool.hits() - hitsBefore;
            assertTrue(hits > 1000, "passes after the first should draw their arrays from the pool, hits " + hits);
        } finally {
            found.install();
        }
    }

    /** A graph whose pass overflows the pool stops using it, with the same numbers. */
    @Test
    void aGraphTooLargeForThePoolFallsBackToFreeingAtOnce() throws Exception {
        RuntimePolicy found = RuntimePolicy.installed();
        String before = System.getProperty(ReusingMemoryMgr.POOL_MB_PROPERTY);
        try {
            RuntimePolicy.NONE.install();
            Case a = make(UnrollFixture.base(16, 12, 8), 2, 61);
            long[] want = bits(MetaGradient.compute(a.graph(), a.inputs()));
            RuntimePolicy.COMMAND_LINE.install();
            System.setProperty(ReusingMemoryMgr.POOL_MB_PROPERTY, "1");
            Case a2 = make(UnrollFixture.base(16, 12, 8), 2, 61);
            AtomicReference<Object> result = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    for (int round = 0; round < 3; round++) {
                        assertArrayEquals(want, bits(MetaGradient.compute(a2.graph(), a2.inputs())), "round " + round);
                    }
                    var session = a2.graph().sameDiff().getFunction("grad").getSessions()
                            .get(Thread.currentThread().getId());
                    result.set(((ReusingMemoryMgr) session.getMmgr()).pooling());
                } catch (Throwable e) {
                    result.set(e);
                }
            });
            t.start();
            t.join();
            if (result.get() instanceof Throwable e) {
                throw new AssertionError(e);
            }
            assertEquals(Boolean.FALSE, result.get(), "a 1 MB pool cannot hold this pass: pooling should be off");
        } finally {
            if (before == null) {
                System.clearProperty(ReusingMemoryMgr.POOL_MB_PROPERTY);
            } else {
                System.setProperty(ReusingMemoryMgr.POOL_MB_PROPERTY, before);
            }
            found.install();
        }
    }

    @Test
    void poolServesExactShapesOnceRefusesWhenFullAndFreesWhatAPassDidNotUse() {
        ArrayPool pool = new ArrayPool(3 * 8 * 100);   // three [10, 10] doubles
        INDArray x = Nd4j.create(DataType.DOUBLE, 10, 10);
        long id = x.getId();
        pool.give(x);
        pool.give(x);   // a second release of the same array is ignored
        assertEquals(800, pool.bytes());
        assertNull(pool.take(DataType.DOUBLE, 'c', new long[] {100}), "other shape");
        assertNull(pool.take(DataType.FLOAT, 'c', new long[] {10, 10}), "other type");
        assertNull(pool.take(DataType.DOUBLE, 'f', new long[] {10, 10}), "other order");
        INDArray got = pool.take(DataType.DOUBLE, 'c', new long[] {10, 10});
        assertSame(x, got);
        assertTrue(got.getId() != id, "a reused array gets a new id");
        assertNull(pool.take(DataType.DOUBLE, 'c', new long[] {10, 10}), "handed out once only");

        INDArray[] four = new INDArray[4];
        for (int i = 0; i < 4; i++) {
            four[i] = Nd4j.create(DataType.DOUBLE, 10, 10);
            assertEquals(i < 3, pool.give(four[i]), "the fourth does not fit");
        }
        assertEquals(2400, pool.bytes());
        assertTrue(four[3].wasClosed(), "an array released into a full pool is freed");
        assertFalse(four[0].wasClosed());
        assertSame(four[2], pool.take(DataType.DOUBLE, 'c', new long[] {10, 10}), "newest first");
        INDArray view = Nd4j.create(DataType.DOUBLE, 10, 10).getRow(0);
        pool.give(view);
        assertEquals(1600, pool.bytes(), "views are not pooled");

        pool.endPass();   // the pass that released four[0] and four[1] ends: they stay
        assertEquals(1600, pool.bytes());
        INDArray y = Nd4j.create(DataType.DOUBLE, 5);
        assertSame(four[1], pool.take(DataType.DOUBLE, 'c', new long[] {10, 10}));
        pool.give(y);
        pool.endPass();   // this pass did not ask for four[0]: freed; y was released in it: kept
        assertTrue(four[0].wasClosed());
        assertEquals(40, pool.bytes());
        pool.clear();
        assertEquals(0, pool.bytes());
        assertTrue(y.wasClosed());

    }
}
