package org.metaunsup.unroll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.rule.LayerWidths;
import org.metaunsup.rule.Theta;
import org.metaunsup.testing.DoublePrecision;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A gradient function saved in the store and loaded into a freshly built forward graph gives the
 * same meta-gradient, losses and φ, bit for bit, also after θ is copied in anew (the loaded function
 * shares the graph's θ arrays); a damaged entry is rebuilt with one warning and written again; the
 * key follows the graph's definition (K, free widths, η) and not θ's values.
 */
@ExtendWith(DoublePrecision.class)
class GraphStoreTest {

    @Test
    void aLoadedGradientFunctionGivesTheBuiltNumbers(@TempDir Path dir) throws Exception {
        ExperimentConfig cfg = UnrollFixture.tiny(0.05);
        BaseModelConfig base = cfg.base();
        Theta a = Theta.init(UnrollFixture.spec(cfg, base), 5, DataType.DOUBLE);
        Theta b = Theta.init(UnrollFixture.spec(cfg, base), 6, DataType.DOUBLE);
        TruncationInputs in = UnrollFixture.inputs(cfg, UnrollFixture.base(16, 3, 7, 4), 2, 9);
        List<String> warnings = new ArrayList<>();
        GraphStore store = GraphStore.at(dir, warnings::add);

        UnrollGraph built = UnrollGraph.build(cfg.graph(), LayerWidths.freeHidden(base), 2, a, true, DataType.DOUBLE);
        assertEquals(GraphStore.Outcome.BUILT, store.ensureGradient(built.sameDiff()));
        assertEquals(1, store.entries().size());
        MetaGradient want = MetaGradient.compute(built, in);
        built.loadTheta(b);
        MetaGradient wantB = MetaGradient.compute(built, in);

        UnrollGraph loaded = UnrollGraph.build(cfg.graph(), LayerWidths.freeHidden(base), 2, a, true, DataType.DOUBLE);
        assertEquals(GraphStore.Outcome.LOADED, store.ensureGradient(loaded.sameDiff()));
        same(want, MetaGradient.compute(loaded, in));
        loaded.loadTheta(b);
        same(wantB, MetaGradient.compute(loaded, in));
        assertEquals(GraphStore.Outcome.PRESENT, store.ensureGradient(loaded.sameDiff()));
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void aDamagedEntryIsRebuiltWithOneWarning(@TempDir Path dir) throws Exception {
        ExperimentConfig cfg = UnrollFixture.tiny(0.05);
        Theta a = Theta.init(UnrollFixture.spec(cfg, cfg.base()), 5, DataType.DOUBLE);
        TruncationInputs in = UnrollFixture.inputs(cfg, cfg.base(), 1, 3);
        List<String> warnings = new ArrayList<>();
        GraphStore store = GraphStore.at(dir, warnings::add);
        UnrollGraph first = UnrollGraph.build(cfg.graph(), cfg.base(), 1, a, true, DataType.DOUBLE);
        store.ensureGradient(first.sameDiff());
        MetaGradient want = MetaGradient.compute(first, in);
        Path fb = store.entries().get(0).toPath();
        byte[] bytes = Files.readAllBytes(fb);
        Files.write(fb, Arrays.copyOf(bytes, bytes.length / 2));

        UnrollGraph second = UnrollGraph.build(cfg.graph(), cfg.base(), 1, a, true, DataType.DOUBLE);
        assertEquals(GraphStore.Outcome.BUILT, store.ensureGradient(second.sameDiff()));
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("warning: saved gradient function "), warnings.get(0));
        same(want, MetaGradient.compute(second, in));
        assertWrittenWhole(bytes.length, Files.size(fb));
        UnrollGraph third = UnrollGraph.build(cfg.graph(), cfg.base(), 1, a, true, DataType.DOUBLE);
        assertEquals(GraphStore.Outcome.LOADED, store.ensureGradient(third.sameDiff()));
        assertEquals(1, warnings.size());
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.toString().endsWith(".tmp")), "no temporary file left");
        }
    }

    @Test
    void theKeyFollowsTheGraphDefinitionNotTheta() {
        ExperimentConfig cfg = UnrollFixture.tiny(0.05);
        ExperimentConfig other = UnrollFixture.tiny(0.04);
        BaseModelConfig base = cfg.base();
        Theta a = Theta.init(UnrollFixture.spec(cfg, base), 5, DataType.DOUBLE);
        Theta b = Theta.init(UnrollFixture.spec(cfg, base), 6, DataType.DOUBLE);
        String k1 = GraphStore.key(UnrollGraph.build(cfg.graph(), base, 1, a, true, DataType.DOUBLE).sameDiff());
        assertEquals(k1, GraphStore.key(UnrollGraph.build(cfg.graph(), base, 1, b, true, DataType.DOUBLE).sameDiff()));
        assertNotEquals(k1, GraphStore.key(UnrollGraph.build(cfg.graph(), base, 2, a, true, DataType.DOUBLE).sameDiff()));
        assertNotEquals(k1, GraphStore.key(UnrollGraph.build(other.graph(), base, 1, a, true, DataType.DOUBLE).sameDiff()));
        assertNotEquals(k1, GraphStore.key(UnrollGraph.build(cfg.graph(), LayerWidths.freeHidden(base), 1, a, true,
                DataType.DOUBLE).sameDiff()));
        assertNotEquals(k1, GraphStore.key(UnrollGraph.build(cfg.graph(), base, 1, a, true, DataType.FLOAT).sameDiff()));
    }

    private static void assertWrittenWhole(long want, long got) {
        assertEquals(want, got, "the rebuilt entry is written again, whole");
    }

    private static void same(MetaGradient want, MetaGradient got) {
        assertEquals(Double.doubleToLongBits(want.metaLoss()), Double.doubleToLongBits(got.metaLoss()));
        Assertions.assertArrayEquals(want.stepLoss(), got.stepLoss(), 0.0);
        Assertions.assertArrayEquals(want.queryAccuracy(), got.queryAccuracy(), 0.0);
        Assertions.assertArrayEquals(want.gradient().toDoubles(), got.gradient().toDoubles(), 0.0);
        for (int l = 0; l < want.phiAfter().depth(); l++) {
            Assertions.assertArrayEquals(want.phiAfter().w().get(l).dup().data().asDouble(),
                    got.phiAfter().w().get(l).dup().data().asDouble(), 0.0);
        }
    }
}
