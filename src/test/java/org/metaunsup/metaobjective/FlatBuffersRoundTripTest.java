package org.metaunsup.metaobjective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.metaunsup.testing.DoublePrecision;
import org.metaunsup.testing.FreshJvm;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A graph containing the differentiable solve survives {@code asFlatFile}/{@code fromFlatFile}
 * with identical outputs and gradients, in this JVM and in a fresh one; without registration
 * a fresh JVM cannot differentiate it (the pitfall registration exists for).
 */
@ExtendWith(DoublePrecision.class)
class FlatBuffersRoundTripTest {

    private static final String LOSS = "meta/loss";
    private static final List<String> OUTPUTS =
            List.of(LOSS, "meta/supportAccuracy", "meta/queryAccuracy", "meta/w");

    @Test
    void outputsAndGradientsSurviveSaveAndLoad(@TempDir Path tmp) throws Exception {
        RidgeObjectiveTest.Problem pr = RidgeObjectiveTest.Problem.random(
                41, 12, 12, 4, 3, DataType.DOUBLE);
        SameDiff sd = RidgeObjectiveTest.graph(pr, "meta");
        Map<String, INDArray> ph = pr.placeholders();
        Map<String, INDArray> expected = sd.output(ph, OUTPUTS);
        INDArray expectedGrad = sd.calculateGradients(ph, "features").get("features");

        File graph = tmp.resolve("ridge.fb").toFile();
        sd.asFlatFile(graph);
        FreshJvm.writePlaceholders(tmp, ph);

        // same JVM
        SameDiff loaded = SameDiff.fromFlatFile(graph);
        loaded.setLossVariables(LOSS);
        Map<String, INDArray> out = loaded.output(ph, OUTPUTS);
        for (String o : OUTPUTS) {
            assertClose(expected.get(o), out.get(o), "in-process " + o);
        }
        assertClose(expectedGrad,
                loaded.calculateGradients(ph, "features").get("features"), "in-process grad");

        // fresh JVM
        FreshJvm.Result r = FreshJvm.run(tmp, graph, LOSS, true, List.of("features"), OUTPUTS);
        assertEquals(0, r.exitCode(), "probe failed:\n" + r.output());
        for (String o : OUTPUTS) {
            assertClose(expected.get(o), FreshJvm.output(tmp, o), "fresh JVM " + o);
        }
        INDArray got = FreshJvm.gradient(tmp, "features");
        assertClose(expectedGrad, got, "fresh JVM gradient");
    }

    @Test
    void freshJvmWithoutRegistrationCannotDifferentiate(@TempDir Path tmp) throws Exception {
        RidgeObjectiveTest.Problem pr = RidgeObjectiveTest.Problem.random(
                42, 6, 6, 2, 3, DataType.DOUBLE);
        SameDiff sd = RidgeObjectiveTest.graph(pr, "meta");
        File graph = tmp.resolve("ridge.fb").toFile();
        sd.asFlatFile(graph);
        FreshJvm.writePlaceholders(tmp, pr.placeholders());
        FreshJvm.Result r = FreshJvm.run(tmp, graph, LOSS, false, List.of("features"), OUTPUTS);
        assertEquals(3, r.exitCode(), "expected the gradient to fail:\n" + r.output());
        String failure = r.output().lines().filter(l -> l.startsWith("gradient failed"))
                .findFirst().orElseThrow();
        System.out.println("unregistered fresh JVM: " + failure);
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        assertEquals(expected.dataType(), actual.dataType(), what);
        assertTrue(Arrays.equals(expected.shape(), actual.shape()), what + " shape");
        double maxDiff = expected.sub(actual).amaxNumber().doubleValue();
        System.out.printf("round trip %s: max |diff| %.3e%n", what, maxDiff);
        assertTrue(maxDiff <= 1e-12, what + ": max |diff| " + maxDiff);
    }
}
