package org.metaunsup.unroll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.metaunsup.config.ConfigLoader;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.rule.Theta;
import org.metaunsup.rule.ThetaSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.junit.jupiter.api.extension.ExtendWith;
import org.metaunsup.testing.DoublePrecision;

/** One-pass meta-gradient and the per-architecture graph cache. */
@ExtendWith(DoublePrecision.class)
class MetaGradientTest {

    @Test
    void onePassGivesGoldenLossGradientAndTheNextPhi() {
        GoldenTrace golden = new GoldenTrace("trace-tiny-seed1");
        ExperimentConfig cfg = ConfigLoader.load("tiny");
        ThetaSpec spec = new ThetaSpec(cfg.rule(), cfg.base().topWidth());
        UnrollGraphCache cache = UnrollGraphCache.byCount(cfg.graph(), 4);
        Theta theta = golden.theta(spec);
        UnrollGraph g = cache.get(cfg.base(), 2, true, theta, DataType.DOUBLE);
        MetaGradient mg = MetaGradient.compute(g, golden.inputs(cfg, 2));
        assertTrue(mg.isFinite());
        assertEquals(golden.get("unroll/meta_loss").getDouble(0), mg.metaLoss(), 1e-12);
        INDArray want = golden.get("unroll/grad/W.mix.w");
        assertTrue(mg.gradient().get("W.mix.w").sub(want).norm2Number().doubleValue()
                <= 1e-10 * want.norm2Number().doubleValue());
        for (double a : mg.queryAccuracy()) {
            assertTrue(a >= 0 && a <= 1);
        }
        // φ after the truncation equals two applications of the rule step.
        RuleStep one = new RuleStep(cfg.graph(), cfg.base(), theta, DataType.DOUBLE);
        TruncationInputs in = golden.inputs(cfg, 2);
        var phi2 = one.apply(one.apply(in.phi(), in.perm(), in.unlabelled().get(0)), in.perm(), in.unlabelled().get(1));
        for (int l = 0; l < phi2.depth(); l++) {
            assertEquals(0.0, phi2.w().get(l).sub(mg.phiAfter().w().get(l)).amaxNumber().doubleValue(), 1e-15);
            assertEquals(0.0, phi2.b().get(l).sub(mg.phiAfter().b().get(l)).amaxNumber().doubleValue(), 1e-15);
        }
    }

    @Test
    void cacheReusesGraphsAndLoadsTheta() {
        ExperimentConfig cfg = ConfigLoader.load("tiny");
        ThetaSpec spec = new ThetaSpec(cfg.rule(), cfg.base().topWidth());
        UnrollGraphCache cache = UnrollGraphCache.byCount(cfg.graph(), 2);
        Theta a = Theta.init(spec, 1, DataType.DOUBLE);
        Theta b = Theta.init(spec, 2, DataType.DOUBLE);
        GoldenTrace golden = new GoldenTrace("trace-tiny-seed1");
        UnrollGraph g1 = cache.get(cfg.base(), 2, true, a, DataType.DOUBLE);
        double la = MetaGradient.compute(g1, golden.inputs(cfg, 2)).metaLoss();
        UnrollGraph g2 = cache.get(cfg.base(), 2, true, b, DataType.DOUBLE);
        assertSame(g1, g2);
        assertEquals(1, cache.builds());
        double lb = MetaGradient.compute(g2, golden.inputs(cfg, 2)).metaLoss();
        assertNotEquals(la, lb);
        assertEquals(b.get("h.c0.w"), g2.readTheta().get("h.c0.w"));
        UnrollGraph g3 = cache.get(cfg.base(), 2, true, a, DataType.DOUBLE);
        assertEquals(la, MetaGradient.compute(g3, golden.inputs(cfg, 2)).metaLoss(), 0.0);
        cache.get(cfg.base(), 1, true, a, DataType.DOUBLE);
        cache.get(cfg.base(), 3, true, a, DataType.DOUBLE);
        assertEquals(2, cache.size());
        assertEquals(3, cache.builds());
    }

    @Test
    void memoryBoundedCacheKeepsWhatFitsItsBudget() {
        ExperimentConfig cfg = ConfigLoader.load("tiny");
        Theta a = Theta.init(new ThetaSpec(cfg.rule(), cfg.base().topWidth()), 1, DataType.DOUBLE);
        long oneGraph = UnrollGraphCache.estimatedBytes(UnrollGraph.build(cfg.graph(), cfg.base(), 2, a, true,
                DataType.DOUBLE));
        assertTrue(oneGraph > 0);
        // Room for one K=2 graph (and a K=1 graph, which is smaller) but not for both.
        UnrollGraphCache cache = UnrollGraphCache.byMemory(cfg.graph(), oneGraph + oneGraph / 4);
        cache.get(cfg.base(), 2, true, a, DataType.DOUBLE);
        assertEquals(1, cache.size());
        assertEquals(oneGraph, cache.bytes());
        cache.get(cfg.base(), 1, true, a, DataType.DOUBLE);
        assertEquals(1, cache.size());
        assertTrue(cache.bytes() < oneGraph);
        cache.get(cfg.base(), 2, true, a, DataType.DOUBLE);
        assertEquals(3, cache.builds(), "the K=2 graph was evicted to make room and built again");
        // A graph larger than the whole budget is built and used, not kept.
        UnrollGraphCache tight = UnrollGraphCache.byMemory(cfg.graph(), oneGraph / 2);
        UnrollGraph g = tight.get(cfg.base(), 2, true, a, DataType.DOUBLE);
        assertTrue(g != null && tight.size() == 0);
    }
}
