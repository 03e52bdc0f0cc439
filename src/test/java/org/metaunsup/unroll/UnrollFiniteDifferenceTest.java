package org.metaunsup.unroll;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.rule.Theta;
import org.metaunsup.rule.ThetaSpec;
import org.metaunsup.testing.FiniteDifference;
import org.metaunsup.testing.TestArrays;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.junit.jupiter.api.extension.ExtendWith;
import org.metaunsup.testing.DoublePrecision;

/**
 * Double-precision central finite differences of whole unroll graphs ({@code tiny}): the summed
 * K=2 meta-loss w.r.t. a seeded sample of entries of every θ tensor, at the config's η = 1e-4
 * and at η = 0.05 (where the paths through the changing φ weigh much more), and one inner step
 * w.r.t. θ and w.r.t. the φ placeholders.
 *
 * <p>Step sizes: the meta-loss is O(1) while meta-gradients at η = 1e-4 are O(1e-5), so the
 * round-off of a difference quotient, ~1e-15/ε absolute, is discounted (4 ulps of the loss,
 * FiniteDifference#roundOffUlps): at ε = 1e-5 that is 2e-10, which bounds how small a
 * gradient entry can be checked to 1e-5 relative. The rule's many ReLUs put kinks at random
 * places (densely in the top-down network, whose BN amplifies small changes), and one within
 * ±ε spoils that entry's estimate although the gradient is right (measured: every entry of
 * {@code top.mix1.w} agrees to ~1e-8 at ε = 1e-6 … 1e-7, most are off by 1e-4 … 1e-2 at
 * ε = 1e-5 … 1e-4). Each check therefore retries failing entries with fallback steps.
 */
@ExtendWith(DoublePrecision.class)
class UnrollFiniteDifferenceTest {

    private static final double TOL = 1e-5;
    /** Round-off allowance of one central difference, in ulps of the loss. */
    private static final double ULPS = 4;
    /** Relative errors of gradients below this are measured against it. */
    private static final double ABS_FLOOR = 1e-8;

    @Test
    void twoStepMetaLossAtTinyEta() {
        // |grad| ~ 1e-6 … 1e-4 while L ~ 4: round-off ~1e-15/ε, so ε = 1e-5 first.
        checkTwoStepUnroll(1e-4, 2, 1e-5, new double[] {1e-6, 3e-7, 1e-4}, 1000);
    }

    @Test
    void twoStepMetaLossAtLargeEta() {
        // |grad| ~ 1e-4 … 1e-1: a small ε avoids the dense kinks of the top-down network.
        checkTwoStepUnroll(0.05, 1, 1e-6, new double[] {1e-7, 1e-5}, 2000);
    }

    private static void checkTwoStepUnroll(double eta, int entries, double eps, double[] fallback,
                                           long seedBase) {
        ExperimentConfig cfg = UnrollFixture.tiny(eta);
        BaseModelConfig base = cfg.base();
        ThetaSpec spec = UnrollFixture.spec(cfg, base);
        Theta theta = Theta.init(spec, 21, DataType.DOUBLE);
        TruncationInputs inputs = UnrollFixture.inputs(cfg, base, 2, 22);
        UnrollGraph g = UnrollGraph.build(cfg.graph(), base, 2, theta, true, DataType.DOUBLE);
        Map<String, INDArray> ph = inputs.placeholders(g);
        Map<String, INDArray> grads = g.sameDiff().calculateGradients(ph, g.thetaNames());
        List<String> zero = UnrollFixture.biasesBeforeBatchNorm(spec);
        List<Check> checks = new ArrayList<>();
        for (String name : g.thetaNames()) {
            // Biases before a batch norm have a zero gradient by construction
            // (MetaGradientConnectivityTest); one entry checks that FD sees ~0 too.
            checks.add(new Check(name, zero.contains(name) ? 1 : entries, !zero.contains(name)));
        }
        run("K=2 unroll, eta " + eta, checks, seedBase, grads, new FiniteDifference(g.sameDiff(),
                GraphNames.META_LOSS, ph).eps(eps).fallbackEps(fallback).roundOffUlps(ULPS)
                .absFloor(ABS_FLOOR).analytic(grads));
    }

    /**
     * One inner step without the objective, at η = 0.5 so that the rule's direction carries
     * weight. Loss = Σ_p ⟨c_p, (p' − p)/η⟩ over every updated base param p (random constants
     * c_p): (p' − p)/η = −p − g(φ), so the gradient w.r.t. φ is dominated by the rule's
     * direction g (the paths through the forward pass, the top-down network, the hidden states
     * and the weight statistics), not by the identity path p' ≈ p.
     */
    @Test
    void oneInnerStepWrtThetaAndPhi() {
        ExperimentConfig cfg = UnrollFixture.tiny(0.5);
        BaseModelConfig base = cfg.base();
        ThetaSpec spec = UnrollFixture.spec(cfg, base);
        Theta theta = Theta.init(spec, 31, DataType.DOUBLE);
        TruncationInputs inputs = UnrollFixture.inputs(cfg, base, 1, 32);
        List<String> phiNames = new ArrayList<>();
        for (int l = 1; l <= base.depth(); l++) {
            phiNames.addAll(List.of(GraphNames.phiW(l), GraphNames.phiV(l), GraphNames.phiB(l)));
        }
        UnrollGraph g = UnrollGraph.build(cfg.graph(), base, 1, theta, false, DataType.DOUBLE);
        SameDiff sd = g.sameDiff();
        Random rnd = new Random(33);
        SDVariable loss = null;
        for (int l = 1; l <= base.depth(); l++) {
            for (String p : new String[] {"W", "V", "b"}) {
                SDVariable in = sd.getVariable("phi/" + p + l);
                SDVariable change = sd.getVariable(GraphNames.outPhi(p + l)).sub(in).mul(1.0 / cfg.eta());
                SDVariable c = sd.constant("fd_c_" + p + l,
                        TestArrays.gaussian(rnd, DataType.DOUBLE, in.getShape()));
                SDVariable term = change.mul(c).sum();
                loss = loss == null ? term : loss.add(term);
            }
        }
        loss.rename("fd_loss");
        sd.setLossVariables("fd_loss");
        Map<String, INDArray> ph = inputs.placeholders(g);
        // Placeholder gradients must be requested when the gradient function is created.
        sd.createGradFunction(phiNames.toArray(new String[0]));
        List<String> wrt = new ArrayList<>(g.thetaNames());
        wrt.addAll(phiNames);
        Map<String, INDArray> grads = sd.calculateGradients(ph, wrt);
        List<String> zero = UnrollFixture.biasesBeforeBatchNorm(spec);
        List<Check> checks = new ArrayList<>();
        for (String name : g.thetaNames()) {
            checks.add(new Check(name, 1, !zero.contains(name)));
        }
        for (String name : phiNames) {
            checks.add(new Check(name, 3, true));
        }
        run("K=1 step", checks, 3000, grads, new FiniteDifference(sd, "fd_loss", ph)
                .eps(1e-6).fallbackEps(1e-7, 1e-5).roundOffUlps(ULPS).absFloor(ABS_FLOOR)
                .analytic(grads));
    }

    /** One input to check: how many entries, and whether an all-zero gradient is an error. */
    private record Check(String input, int entries, boolean nonZero) {}

    /**
     * Runs the checks, fails on any entry above tolerance, prints the worst. Inputs whose
     * gradient is zero by construction are not compared relatively: their analytic and numeric
     * values must both be below 1e-6 of the largest analytic entry of any input.
     */
    private static void run(String what, List<Check> checks, long seedBase, Map<String, INDArray> grads,
                            FiniteDifference fd) {
        double scale = 0;
        for (INDArray a : grads.values()) {
            scale = Math.max(scale, UnrollFixture.maxAbs(a));
        }
        Summary s = new Summary(what);
        long seed = seedBase;
        for (Check c : checks) {
            if (c.nonZero()) {
                s.add(fd.assertGradient(c.input(), c.entries(), seed++, TOL), TOL);
            } else {
                FiniteDifference.Report r = fd.check(c.input(), c.entries(), seed++);
                double worst = Math.max(Math.abs(r.analytic()), Math.abs(r.numeric()));
                assertTrue(worst <= 1e-6 * scale, what + ": expected ~0 for " + r);
            }
        }
        s.print();
    }

    /** Collects the reports of one test, fails on any above tolerance, prints the worst. */
    private static final class Summary {
        private final String what;
        private final List<FiniteDifference.Report> reports = new ArrayList<>();

        Summary(String what) {
            this.what = what;
        }

        void add(FiniteDifference.Report r, double tol) {
            assertTrue(r.maxRelError() <= tol, what + ": " + r);
            reports.add(r);
        }

        void print() {
            FiniteDifference.Report worst = reports.stream()
                    .max((a, b) -> Double.compare(a.maxRelError(), b.maxRelError())).orElseThrow();
            int entries = reports.stream().mapToInt(FiniteDifference.Report::checked).sum();
            int retried = reports.stream().mapToInt(FiniteDifference.Report::retried).sum();
            double maxAbsErr = reports.stream().mapToDouble(FiniteDifference.Report::maxAbsError)
                    .max().orElseThrow();
            System.out.printf("%s: %d inputs, %d entries, %d retried with a fallback step, max |analytic"
                    + " - numeric| %.3e; worst %s%n", what, reports.size(), entries, retried, maxAbsErr, worst);
        }
    }
}
