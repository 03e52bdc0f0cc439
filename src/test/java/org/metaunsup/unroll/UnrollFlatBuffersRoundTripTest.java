package org.metaunsup.unroll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.rule.Theta;
import org.metaunsup.rule.ThetaSpec;
import org.metaunsup.testing.FreshJvm;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.junit.jupiter.api.extension.ExtendWith;
import org.metaunsup.testing.DoublePrecision;

/**
 * The θ-holding K=2 unroll graph with the meta-objective ({@code tiny}) saved as FlatBuffers
 * and loaded in a fresh JVM (which registers the differentiable solve) gives the same per-step
 * meta-losses, accuracies, updated φ and meta-gradient w.r.t. every θ tensor.
 */
@ExtendWith(DoublePrecision.class)
class UnrollFlatBuffersRoundTripTest {

    private static final double TOL = 1e-12;

    @Test
    void freshJvmReproducesOutputsAndMetaGradient(@TempDir Path tmp) throws Exception {
        ExperimentConfig cfg = UnrollFixture.tiny(0.05);
        BaseModelConfig base = cfg.base();
        ThetaSpec spec = UnrollFixture.spec(cfg, base);
        UnrollGraph g = UnrollGraph.build(cfg.graph(), base, 2, Theta.init(spec, 101, DataType.DOUBLE), true,
                DataType.DOUBLE);
        Map<String, INDArray> ph = UnrollFixture.inputs(cfg, base, 2, 102).placeholders(g);
        SameDiff sd = g.sameDiff();
        List<String> outputs = new ArrayList<>(g.stepLossNames());
        for (int t = 0; t < g.steps(); t++) {
            outputs.add(GraphNames.stepSupportAccuracy(t));
            outputs.add(GraphNames.stepQueryAccuracy(t));
        }
        outputs.add(GraphNames.META_LOSS);
        outputs.addAll(g.outputPhiNames());
        Map<String, INDArray> expected = sd.output(ph, outputs);
        Map<String, INDArray> expectedGrads = sd.calculateGradients(ph, g.thetaNames());

        File file = tmp.resolve("unroll-tiny-k2.fb").toFile();
        sd.asFlatFile(file);
        FreshJvm.writePlaceholders(tmp, ph);
        FreshJvm.Result r = FreshJvm.run(tmp, file, GraphNames.META_LOSS, true, g.thetaNames(), outputs);
        assertEquals(0, r.exitCode(), "probe failed:\n" + r.output());

        double worstOut = 0;
        for (String o : outputs) {
            worstOut = Math.max(worstOut, compare(expected.get(o), FreshJvm.output(tmp, o), o));
        }
        double worstGrad = 0;
        for (String name : g.thetaNames()) {
            worstGrad = Math.max(worstGrad, compare(expectedGrads.get(name), FreshJvm.gradient(tmp, name), name));
        }
        System.out.printf("unroll FlatBuffers round trip (fresh JVM, %.0f kB): %d outputs max rel diff %.3e,"
                + " %d theta gradients max rel diff %.3e%n", file.length() / 1024.0, outputs.size(), worstOut,
                g.thetaNames().size(), worstGrad);
    }

    /** @return max |diff| / max |expected| (0 when both are 0) */
    private static double compare(INDArray expected, INDArray actual, String what) {
        assertEquals(expected.dataType(), actual.dataType(), what);
        assertTrue(Arrays.equals(expected.shape(), actual.shape()), what + " shape");
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        double scale = UnrollFixture.maxAbs(expected);
        double rel = diff == 0 ? 0 : diff / scale;
        assertTrue(rel <= TOL, what + ": fresh JVM differs by " + rel + " relative");
        return rel;
    }
}
