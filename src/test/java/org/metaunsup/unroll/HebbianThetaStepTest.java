package org.metaunsup.unroll;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.metaunsup.basemodel.PhiState;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.ConfigLoader;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.rule.HebbianTheta;
import org.metaunsup.rule.Theta;
import org.metaunsup.rule.ThetaSpec;
import org.metaunsup.testing.DoublePrecision;
import org.metaunsup.testing.HebbianReference;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Under {@link HebbianTheta} one inner step of the real rule graph ({@link RuleStep}, float64) is
 * the hand-designed learner of docs/METHOD.md#hand-init (equation H), computed independently in
 * plain Java double arithmetic by {@link HebbianReference} from the same φ and batch. Tolerance:
 * the relative L2 error of every change p′ − p (W, V, b of every layer) at most 1e-10; measured
 * values are about 1e-15, round-off of two summation orders. The weights are unequal and of
 * both signs' effect so that a swapped term index, a wrong sign, a readout term or a bias
 * direction leaking through would show; a control shows that the meta-initialised θ is far from
 * the reference, i.e. the comparison can fail.
 */
@ExtendWith(DoublePrecision.class)
class HebbianThetaStepTest {

    private static final double ETA = 0.05;
    private static final double TOLERANCE = 1e-10;

    @Test
    void oneRuleStepEqualsTheHandDesignedUpdate() {
        for (double[] weights : new double[][] {{HebbianTheta.HEBBIAN, HebbianTheta.DECORRELATION}, {5.0, 1.5},
                {0.7, 30.0}}) {
            double worst = compare(config(true), UnrollFixture.base(16, 7, 5, 4), weights[0], weights[1], 81);
            System.out.printf("hebbian %.2f decorrelation %.2f: max rel error %.3e%n", weights[0], weights[1], worst);
            assertTrue(worst <= TOLERANCE, "rule graph vs hand-designed update: " + worst);
        }
    }

    @Test
    void ownBackwardWeightsGetTheirOwnHandDesignedUpdate() {
        double worst = compare(config(false), UnrollFixture.base(16, 6, 4), 3.0, 2.0, 83);
        System.out.printf("own V: max rel error %.3e%n", worst);
        assertTrue(worst <= TOLERANCE, "rule graph (own V) vs hand-designed update: " + worst);
    }

    @Test
    void theMetaInitialisedRuleIsNotTheHandDesignedOne() {
        ExperimentConfig cfg = config(true);
        BaseModelConfig base = UnrollFixture.base(16, 7, 5, 4);
        Theta meta = Theta.init(UnrollFixture.spec(cfg, base), 85, DataType.DOUBLE);
        double err = compare(cfg, base, meta, 0.1, 0.1, 86);
        assertTrue(err > 1e-2, "the meta-initialised rule should differ from equation H, error " + err);
    }

    /**
     * Meta-training can leave θ_H: through a K=2 unroll the meta-gradient reaches all twelve mix
     * weights and the bias map (so the first outer step moves them), while every tensor that acts
     * only through the zero-weighted terms (the h network, the top-down network, the δ map, the
     * readout maps) gets exactly zero — the derivation's claim that they drop out, seen from the
     * gradient side.
     */
    @Test
    void metaGradientAtTheHandThetaReachesTheMixAndTheBiasMapOnly() {
        ExperimentConfig cfg = config(true);
        BaseModelConfig base = UnrollFixture.base(16, 7, 5, 4);
        ThetaSpec spec = UnrollFixture.spec(cfg, base);
        Theta theta = HebbianTheta.of(Theta.init(spec, 87, DataType.DOUBLE), 5.0, 1.5);
        UnrollGraph g = UnrollGraph.build(cfg.graph(), base, 2, theta, true, DataType.DOUBLE);
        Map<String, INDArray> grads = g.sameDiff().calculateGradients(UnrollFixture.inputs(cfg, base, 2, 88)
                .placeholders(g), g.thetaNames());
        INDArray mix = grads.get("theta/W.mix.w");
        for (int k = 0; k < ThetaSpec.TERMS; k++) {
            assertTrue(Math.abs(mix.getDouble(k)) > 1e-12, "mix weight of term " + (k + 1) + " gets no gradient");
        }
        assertTrue(UnrollFixture.maxAbs(grads.get("theta/bias.w")) > 1e-12, "bias map gets no gradient");
        for (String name : g.thetaNames()) {
            String t = name.substring("theta/".length());
            if (t.startsWith("W.mix") || t.startsWith("bias.")) {
                continue;
            }
            assertTrue(UnrollFixture.maxAbs(grads.get(name)) == 0.0, name + " should get exactly zero at θ_H, got "
                    + UnrollFixture.maxAbs(grads.get(name)));
        }
    }

    /** @return the largest relative error over every base param's change */
    private static double compare(ExperimentConfig cfg, BaseModelConfig base, double hebbian, double decorrelation,
                                  long seed) {
        ThetaSpec spec = UnrollFixture.spec(cfg, base);
        Theta theta = HebbianTheta.of(Theta.init(spec, seed, DataType.DOUBLE), hebbian, decorrelation);
        return compare(cfg, base, theta, hebbian, decorrelation, seed + 1);
    }

    private static double compare(ExperimentConfig cfg, BaseModelConfig base, Theta theta, double hebbian,
                                  double decorrelation, long seed) {
        TruncationInputs in = UnrollFixture.inputs(cfg, base, 1, seed);
        RuleStep step = new RuleStep(cfg.graph(), base, theta, DataType.DOUBLE);
        PhiState before = in.phi();
        PhiState after = step.apply(before, in.perm(), in.unlabelled().get(0));

        double[][] x = rows(in.unlabelled().get(0));
        int[] perm = in.perm();
        double[][] permuted = new double[x.length][perm.length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < perm.length; j++) {
                permuted[i][j] = x[i][perm[j]];
            }
        }
        int depth = base.depth();
        double[][][] w = new double[depth][][];
        double[][][] v = new double[depth][][];
        double[][] b = new double[depth][];
        for (int l = 0; l < depth; l++) {
            w[l] = rows(before.w().get(l));
            v[l] = rows(before.v().get(l));
            b[l] = before.b().get(l).toDoubleVector();
        }
        HebbianReference.Phi phi = new HebbianReference.Phi(w, v, b);
        HebbianReference.Phi expected = new HebbianReference(hebbian, decorrelation, cfg.eta())
                .step(phi, permuted, cfg.rule().vSharesW());
        double worst = 0;
        for (int l = 0; l < depth; l++) {
            worst = Math.max(worst, relChange(w[l], expected.w()[l], rows(after.w().get(l))));
            worst = Math.max(worst, relChange(v[l], expected.v()[l], rows(after.v().get(l))));
            worst = Math.max(worst, relChange(new double[][] {b[l]}, new double[][] {expected.b()[l]},
                    new double[][] {after.b().get(l).toDoubleVector()}));
        }
        return worst;
    }

    /** ‖(got − p) − (expected − p)‖ / ‖expected − p‖. */
    private static double relChange(double[][] p, double[][] expected, double[][] got) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < p.length; i++) {
            for (int j = 0; j < p[0].length; j++) {
                double e = expected[i][j] - p[i][j];
                double g = got[i][j] - p[i][j];
                num += (g - e) * (g - e);
                den += e * e;
            }
        }
        return Math.sqrt(num / den);
    }

    private static ExperimentConfig config(boolean vSharesW) {
        Map<String, String> props = new HashMap<>(ConfigLoader.load("tiny").toProperties());
        props.put("inner.eta", Double.toString(ETA));
        props.put("rule.v_shares_w", Boolean.toString(vSharesW));
        return ConfigLoader.resolve("tiny", props);
    }

    private static double[][] rows(INDArray a) {
        double[][] r = new double[(int) a.size(0)][(int) a.size(1)];
        for (int i = 0; i < r.length; i++) {
            for (int j = 0; j < r[0].length; j++) {
                r[i][j] = a.getDouble(i, j);
            }
        }
        return r;
    }
}
