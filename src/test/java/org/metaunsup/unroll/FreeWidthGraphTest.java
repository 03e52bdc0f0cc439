package org.metaunsup.unroll;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.metaunsup.basemodel.PhiState;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.rule.LayerWidths;
import org.metaunsup.rule.Theta;
import org.metaunsup.rule.ThetaSpec;
import org.metaunsup.testing.DoublePrecision;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One truncation graph with free hidden widths gives, for every architecture of its depth, the
 * same meta-loss, per-step losses and accuracies, φ after the truncation and meta-gradient as a
 * graph built for that architecture: bit for bit, in float64 and in float32, with architectures
 * run in turn on the one graph (so nothing of one width's pass leaks into the next).
 */
@ExtendWith(DoublePrecision.class)
class FreeWidthGraphTest {

    private static final int K = 2;

    @Test
    void oneGraphPerDepthEqualsOneGraphPerArchitectureFloat64() {
        check(DataType.DOUBLE, new int[] {16, 6, 5, 4}, new int[] {16, 3, 7, 4}, new int[] {16, 6, 5, 4},
                new int[] {16, 9, 9, 4});
    }

    @Test
    void oneGraphPerDepthEqualsOneGraphPerArchitectureFloat32() {
        check(DataType.FLOAT, new int[] {16, 5, 4}, new int[] {16, 8, 4});
    }

    @Test
    void aFreeWidthCacheBuildsOneGraphPerDepthAndK() {
        ExperimentConfig cfg = UnrollFixture.tiny(0.05);
        Theta theta = Theta.init(UnrollFixture.spec(cfg, cfg.base()), 3, DataType.DOUBLE);
        UnrollGraphCache free = UnrollGraphCache.byMemory(cfg.graph(), 1L << 33, true);
        UnrollGraph a = free.get(UnrollFixture.base(16, 6, 5, 4), 1, true, theta, DataType.DOUBLE);
        UnrollGraph b = free.get(UnrollFixture.base(16, 3, 9, 4), 1, true, theta, DataType.DOUBLE);
        Assertions.assertSame(a, b);
        assertEquals(1, free.builds());
        free.get(UnrollFixture.base(16, 3, 4), 1, true, theta, DataType.DOUBLE);
        free.get(UnrollFixture.base(16, 3, 9, 4), 2, true, theta, DataType.DOUBLE);
        assertEquals(3, free.builds(), "another depth and another K are other graphs");
        UnrollGraphCache fixed = UnrollGraphCache.byMemory(cfg.graph(), 1L << 33, false);
        fixed.get(UnrollFixture.base(16, 6, 5, 4), 1, true, theta, DataType.DOUBLE);
        fixed.get(UnrollFixture.base(16, 3, 9, 4), 1, true, theta, DataType.DOUBLE);
        assertEquals(2, fixed.builds());
    }

    @Test
    void aGraphRefusesAnotherDepthOrFixedWidth() {
        ExperimentConfig cfg = UnrollFixture.tiny(0.05);
        BaseModelConfig base = UnrollFixture.base(16, 6, 5, 4);
        Theta theta = Theta.init(UnrollFixture.spec(cfg, base), 3, DataType.DOUBLE);
        UnrollGraph free = UnrollGraph.build(cfg.graph(), LayerWidths.freeHidden(base), 1, theta, true,
                DataType.DOUBLE);
        assertTrue(free.accepts(UnrollFixture.base(16, 2, 11, 4)));
        assertTrue(!free.accepts(UnrollFixture.base(16, 6, 4)));
        assertTrue(!free.accepts(UnrollFixture.base(15, 6, 5, 4)));
        TruncationInputs wrongInput = UnrollFixture.inputs(cfg, UnrollFixture.base(12, 6, 5, 4), 1, 4);
        assertThrows(IllegalArgumentException.class, () -> wrongInput.placeholders(free));
    }

    private static void check(DataType dtype, int[]... architectures) {
        ExperimentConfig cfg = UnrollFixture.tiny(0.05);
        BaseModelConfig first = UnrollFixture.base(architectures[0]);
        ThetaSpec spec = UnrollFixture.spec(cfg, first);
        Theta theta = Theta.init(spec, 11, dtype);
        UnrollGraph free = UnrollGraph.build(cfg.graph(), LayerWidths.freeHidden(first), K, theta, true, dtype);
        for (int a = 0; a < architectures.length; a++) {
            BaseModelConfig base = UnrollFixture.base(architectures[a]);
            TruncationInputs in = cast(UnrollFixture.inputs(cfg, base, K, 40 + a), dtype);
            UnrollGraph fixed = UnrollGraph.build(cfg.graph(), base, K, theta, true, dtype);
            MetaGradient want = MetaGradient.compute(fixed, in);
            MetaGradient got = MetaGradient.compute(free, in);
            String what = base.describe() + " " + dtype;
            assertEquals(Double.doubleToLongBits(want.metaLoss()), Double.doubleToLongBits(got.metaLoss()), what);
            assertArrayEquals(want.stepLoss(), got.stepLoss(), 0.0, what);
            assertArrayEquals(want.supportAccuracy(), got.supportAccuracy(), 0.0, what);
            assertArrayEquals(want.queryAccuracy(), got.queryAccuracy(), 0.0, what);
            assertArrayEquals(want.gradient().toDoubles(), got.gradient().toDoubles(), 0.0, what + " gradient");
            for (int l = 0; l < base.depth(); l++) {
                same(want.phiAfter().w().get(l), got.phiAfter().w().get(l), what + " W" + (l + 1));
                same(want.phiAfter().v().get(l), got.phiAfter().v().get(l), what + " V" + (l + 1));
                same(want.phiAfter().b().get(l), got.phiAfter().b().get(l), what + " b" + (l + 1));
            }
            assertTrue(want.isFinite() && want.globalNorm() > 0, what);
        }
    }

    private static void same(INDArray want, INDArray got, String what) {
        assertArrayEquals(want.shape(), got.shape(), what);
        assertArrayEquals(want.dup().data().asDouble(), got.dup().data().asDouble(), 0.0, what);
    }

    private static TruncationInputs cast(TruncationInputs in, DataType dtype) {
        PhiState p = in.phi();
        PhiState phi = new PhiState(p.w().stream().map(x -> x.castTo(dtype)).toList(),
                p.v().stream().map(x -> x.castTo(dtype)).toList(), p.b().stream().map(x -> x.castTo(dtype)).toList());
        return new TruncationInputs(phi, in.perm(), in.unlabelled().stream().map(x -> x.castTo(dtype)).toList(),
                in.supportX().castTo(dtype), in.supportY(), in.queryX().castTo(dtype), in.queryY(), in.classes());
    }

    static String shapes(int[] n) {
        return Arrays.toString(n);
    }
}
