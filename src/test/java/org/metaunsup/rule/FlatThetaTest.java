package org.metaunsup.rule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.metaunsup.BadInputException;
import org.metaunsup.config.RuleConfig;
import org.metaunsup.util.TruncatedNormal;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** θ and its gradient are one flat buffer with named views, tied to a spec with value equality. */
class FlatThetaTest {

    private static final RuleConfig TINY = new RuleConfig(8, 4, 8, 2, 5, 3, true);

    private static ThetaSpec spec() {
        return new ThetaSpec(TINY, 4);
    }

    @Test
    void specsHaveValueEquality() {
        assertEquals(spec(), spec());
        assertEquals(spec().hashCode(), spec().hashCode());
        assertEquals(spec().fingerprint(), spec().fingerprint());
        ThetaSpec otherTop = new ThetaSpec(TINY, 5);
        ThetaSpec ownV = new ThetaSpec(new RuleConfig(8, 4, 8, 2, 5, 3, false), 4);
        assertNotEquals(spec(), otherTop);
        assertNotEquals(spec(), ownV);
        assertNotEquals(spec().fingerprint(), otherTop.fingerprint());
        assertNotEquals(spec().fingerprint(), ownV.fingerprint());
    }

    @Test
    void namedTensorsAreViewsOfTheFlatBufferInCanonicalOrder() {
        ThetaSpec spec = spec();
        Theta theta = Theta.init(spec, 3, DataType.DOUBLE);
        assertEquals(spec.size(), theta.flat().length());
        long offset = 0;
        for (ThetaSpec.Tensor t : spec.tensors()) {
            assertEquals(offset, spec.offset(t.name()));
            INDArray v = theta.get(t.name());
            assertArrayEquals(t.shape(), v.shape());
            // Row-major within the tensor, tensors back to back.
            assertEquals(theta.flat().getDouble(offset), v.reshape(v.length()).getDouble(0), 0.0);
            offset += t.length();
        }
        theta.get("h.c0.w").putScalar(new long[] {1, 2, 0}, 42.0);
        long idx = spec.offset("h.c0.w") + (1 * spec.tensor("h.c0.w").shape()[1] + 2) * 3;
        assertEquals(42.0, theta.flat().getDouble(idx), 0.0);
        theta.flat().putScalar(spec.offset("W.mix.b"), -7.0);
        assertEquals(-7.0, theta.get("W.mix.b").getDouble(0), 0.0);
    }

    @Test
    void initKeepsItsNumbersPerTensor() {
        // Same stream, same order as drawing tensor by tensor: truncated normal 1/sqrt(fan-in),
        // zeros, 0.1 for the mix weights.
        ThetaSpec spec = spec();
        Theta theta = Theta.init(spec, 11, DataType.FLOAT);
        assertEquals(DataType.FLOAT, theta.dataType());
        SplittableRandom rng = new SplittableRandom(11);
        ThetaSpec.Tensor first = spec.tensors().get(0);
        double std = 1.0 / Math.sqrt(first.fanIn());
        assertEquals((float) (std * TruncatedNormal.draw(rng)), theta.get(first.name()).getFloat(0), 0f);
        assertEquals(0.1f, theta.get("W.mix.w").getFloat(3), 0f);
        assertEquals(0f, theta.get("W.mix.b").getFloat(0), 0f);
    }

    @Test
    void constructorFromTensorsCopiesIntoOneBuffer() {
        ThetaSpec spec = spec();
        Theta a = Theta.init(spec, 5, DataType.DOUBLE);
        Map<String, INDArray> separate = new LinkedHashMap<>();
        a.values().forEach((k, v) -> separate.put(k, v.dup()));
        Theta b = new Theta(spec, separate);
        assertArrayEquals(a.toDoubles(), b.toDoubles(), 0.0);
        separate.get("delta.w").assign(9.0);
        assertNotEquals(9.0, b.get("delta.w").getDouble(0));
        separate.remove("delta.w");
        assertThrows(IllegalArgumentException.class, () -> new Theta(spec, separate));
    }

    @Test
    void bytesAndDoublesRoundTripExactly() {
        ThetaSpec spec = spec();
        for (DataType dt : List.of(DataType.FLOAT, DataType.DOUBLE)) {
            Theta theta = Theta.init(spec, 9, dt);
            Theta back = Theta.fromBytes(spec, theta.toBytes());
            assertEquals(dt, back.dataType());
            // Exact, bit for bit (INDArray.equals allows 1e-5).
            assertArrayEquals(theta.toDoubles(), back.toDoubles(), 0.0);
            assertArrayEquals(theta.toDoubles(), Theta.fromDoubles(spec, theta.toDoubles(), dt).toDoubles(), 0.0);
            ThetaGradient g = ThetaGradient.wrap(spec, theta.flat().mul(0.5));
            assertArrayEquals(g.toDoubles(), ThetaGradient.fromBytes(spec, g.toBytes()).toDoubles(), 0.0);
        }
    }

    @Test
    void bytesOfAnotherSpecOrKindOrDamagedAreRefused() {
        Theta theta = Theta.init(spec(), 9, DataType.DOUBLE);
        byte[] bytes = theta.toBytes();
        BadInputException e = assertThrows(BadInputException.class,
                () -> Theta.fromBytes(new ThetaSpec(TINY, 5), bytes));
        assertTrue(e.getMessage().contains("another theta spec"), e.getMessage());
        assertThrows(BadInputException.class, () -> ThetaGradient.fromBytes(spec(), bytes));
        assertThrows(BadInputException.class,
                () -> Theta.fromBytes(spec(), Arrays.copyOf(bytes, bytes.length - 8)));
    }

    @Test
    void gradientsApplyOnlyToTheirSpec() {
        ThetaSpec spec = spec();
        Theta theta = Theta.init(spec, 1, DataType.DOUBLE);
        INDArray before = theta.flat().dup();
        ThetaGradient g = ThetaGradient.wrap(spec, Nd4j.ones(DataType.DOUBLE, spec.size()));
        theta.addi(g, -0.5);
        assertEquals(before.sub(0.5), theta.flat());
        ThetaGradient foreign = ThetaGradient.zeros(new ThetaSpec(TINY, 5), DataType.DOUBLE);
        assertThrows(IllegalArgumentException.class, () -> theta.addi(foreign, 1.0));
        assertThrows(IllegalArgumentException.class, () -> ThetaGradient.mean(List.of(g, foreign)));
    }

    @Test
    void gradientMeanNormAndFiniteness() {
        ThetaSpec spec = spec();
        ThetaGradient a = ThetaGradient.wrap(spec, Nd4j.ones(DataType.DOUBLE, spec.size()));
        ThetaGradient b = a.scaled(3);
        ThetaGradient m = ThetaGradient.mean(List.of(a, b));
        assertEquals(2.0, m.get("top.c0.w").getDouble(0), 0.0);
        assertEquals(2.0 * Math.sqrt(spec.size()), m.globalNorm(), 1e-9);
        assertTrue(m.isFinite());
        m.get("bias.b").putScalar(0, Double.NaN);
        assertFalse(m.isFinite());
        assertTrue(Double.isNaN(m.flat().getDouble(spec.offset("bias.b"))));
    }
}
