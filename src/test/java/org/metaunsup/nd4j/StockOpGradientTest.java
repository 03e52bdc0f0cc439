package org.metaunsup.nd4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.metaunsup.testing.FiniteDifference;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.junit.jupiter.api.extension.ExtendWith;
import org.metaunsup.testing.DoublePrecision;

/**
 * Stock nd4j M2.1 op gradients we rely on, and the ones we found silently wrong (pinned so that
 * an nd4j upgrade that fixes them is noticed, and so nobody reintroduces them).
 */
@ExtendWith(DoublePrecision.class)
class StockOpGradientTest {

    private static FiniteDifference.Report check(Function<SDVariable, SDVariable> f) {
        SameDiff sd = SameDiff.create();
        Nd4j.getRandom().setSeed(1);
        SDVariable w = sd.var("w", Nd4j.randn(DataType.DOUBLE, 6, 5));
        SDVariable out = f.apply(w);
        Nd4j.getRandom().setSeed(2);
        INDArray c = Nd4j.randn(DataType.DOUBLE, sd.output(new HashMap<>(), out.name()).get(out.name()).shape());
        SDVariable loss = out.mul(sd.constant(c)).sum();
        sd.setLossVariables(loss.name());
        return new FiniteDifference(sd, loss.name(), new HashMap<>()).check("w");
    }

    @Test
    void divisionByARankZeroVariableHasAWrongGradient() {
        FiniteDifference.Report r = check(w -> w.div(w.getSameDiff().math().square(w).mean().add(1.0)));
        assertTrue(r.maxRelError() > 0.1, "stock div by a scalar variable is now right: " + r);
    }

    @Test
    void multiplicationByAReciprocalScalarIsRight() {
        FiniteDifference.Report r = check(w -> w.mul(w.getSameDiff().math().rsqrt(
                w.getSameDiff().math().square(w).mean().add(1.0))));
        assertTrue(r.maxRelError() < 1e-6, r.toString());
    }

    @Test
    void reductionsStackSqueezeAndConcatAreRight() {
        FiniteDifference.Report r = check(w -> {
            SameDiff sd = w.getSameDiff();
            SDVariable stats = sd.stack(1, sd.math().abs(w).mean(0), sd.squeeze(w.mean(true, 0), 0),
                    sd.math().sqrt(sd.math().square(w).mean(0).add(1e-6)));
            return sd.concat(1, stats, stats.mul(2.0));
        });
        assertTrue(r.maxRelError() < 1e-6, r.toString());
    }
}
