package org.metaunsup.train.estimator;

import static org.metaunsup.util.Vectors.cosine;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.metaunsup.basemodel.PhiState;
import org.metaunsup.cli.ProcessSetup;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.ConfigLoader;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.data.Task;
import org.metaunsup.rule.Theta;
import org.metaunsup.rule.ThetaSpec;
import org.metaunsup.testing.DoublePrecision;
import org.metaunsup.train.TaskDraws;
import org.metaunsup.train.WorkerContext;
import org.metaunsup.unroll.MetaGradient;
import org.metaunsup.unroll.TruncationInputs;
import org.metaunsup.unroll.UnrollGraph;
import org.metaunsup.util.Seeds;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * On {@code tiny} (float64, one task, θ₀, η = 0.05 so that θ matters within a few steps), the
 * forward estimators point where backprop does over the same horizon of H inner steps from φ₀:
 * ES over one truncation of H steps, and PES over two truncations of H/2 (the sum of its two
 * estimates, which estimates the gradient through all H steps), each with P antithetic pairs and
 * σ = 1e-3, have a cosine above a threshold with the backprop gradient of the mean loss of the H
 * steps, and the forward graphs' loss at θ equals backprop's to 1e-9. For a locally linear loss the expected cosine of such
 * an estimate is about √(P/(P + n)) (n = |θ|), while a direction unrelated to the gradient has a
 * cosine of about ±1/√n, an order of magnitude below the threshold; a sign error or a wrong
 * normalisation between the two PES truncations fails it.
 */
@ExtendWith(DoublePrecision.class)
class ForwardEstimatorDirectionTest {

    static final double SIGMA = 1e-3;

    @TempDir
    Path tmp;

    /**
     * The default suite's check: {@code tiny} with a narrower rule (h = 2, d = 1, top-down width 2,
     * one readout channel: |θ| = 402), H = 2 (PES: two truncations of one step), 32 pairs, threshold 0.1
     * (unrelated directions ±0.05; a sign error gives about −0.14). Measured: ES 0.149, PES 0.133
     * (with 24 pairs ES 0.155, PES 0.125; at H = 4 ES 0.190, PES 0.153). About 2 minutes on the
     * loaded 2-core machine: the cost is SameDiff's per-op overhead (about 1,000 ops per forward
     * step whatever the widths).
     */
    @Test
    void esAndPesAgreeInDirectionWithBackpropOfTheSameHorizon() throws Exception {
        check("rule.hidden = 2\nrule.delta = 1\nrule.top_width = 2\nrule.grad_channels = 1\n", 32, 2, 0.1);
    }

    /**
     * {@code tiny}'s own rule (|θ| = 2,484) with 96 pairs: measured cosines ES 0.188, PES 0.136 with
     * backprop (expected about 0.19; unrelated ±0.02). Several minutes on a loaded machine.
     */
    @Test
    @Tag("slow")
    void withTinysOwnRule() throws Exception {
        check("", 96, 4, 0.1);
    }

    private void check(String rule, int pairs, int horizon, double minCosine) throws Exception {
        final int H = horizon;
        ProcessSetup.init();
        Path f = tmp.resolve("dir.properties");
        Files.writeString(f, "extends = tiny\ninner.eta = 0.05\ntask.hidden_layers = 1\ntask.hidden_width = 5\n" + rule);
        ExperimentConfig cfg = ConfigLoader.load(f.toString());
        DataType dt = DataType.DOUBLE;
        ThetaSpec spec = new ThetaSpec(cfg.rule(), cfg.base().topWidth());
        Theta theta = Theta.init(spec, 7, dt);
        double[] th = theta.toDoubles();
        int n = th.length;
        try (WorkerContext ctx = new WorkerContext(cfg, 3, dt, 1)) {
            TaskDraws.TaskChoice c = ctx.draws().task(0, 0);
            BaseModelConfig base = new BaseModelConfig(c.widths(), cfg.base().activation());
            PhiState phi0 = PhiState.init(base, c.phiSeed(), dt);
            Task task = ctx.task(c.taskSeed());
            List<INDArray> batches = new ArrayList<>();
            for (int t = 0; t < H; t++) {
                batches.add(task.unlabelled(t, cfg.innerBatch()).features(dt));
            }
            UnrollGraph g = UnrollGraph.build(cfg.graph(), base, H, theta, true, dt);
            MetaGradient mg = MetaGradient.compute(g, new TruncationInputs(phi0, task.permutation(), batches,
                    task.support().features(dt), task.support().y(), task.query().features(dt), task.query().y(),
                    cfg.objective().classes()));
            double[] bp = mg.gradient().toDoubles();

            WorkerContext.ForwardGraphs fg = ctx.forwardGraphs(base, theta);
            RuleUnroll whole = new RuleUnroll(fg.step(), fg.objective(), task, batches, spec, dt);
            Antithetic.Estimate<PhiState> es = Antithetic.es(whole, phi0, th, SIGMA, eps(0, n, pairs), H);
            double esCos = cosine(es.gradient(), bp);

            int half = H / 2;
            RuleUnroll first = new RuleUnroll(fg.step(), fg.objective(), task, batches.subList(0, half), spec, dt);
            RuleUnroll second = new RuleUnroll(fg.step(), fg.objective(), task, batches.subList(half, H), spec, dt);
            List<Particle<PhiState>> fresh = new ArrayList<>();
            for (int p = 0; p < pairs; p++) {
                fresh.add(Particle.fresh(phi0, n));
            }
            Antithetic.Estimate<PhiState> p1 = Antithetic.pes(first, fresh, th, SIGMA, eps(1, n, pairs), half);
            Antithetic.Estimate<PhiState> p2 = Antithetic.pes(second, p1.particles(), th, SIGMA, eps(2, n, pairs), H - half);
            double[] pes = new double[n];
            for (int i = 0; i < n; i++) {
                pes[i] = p1.gradient()[i] + p2.gradient()[i];
            }
            double pesCos = cosine(pes, bp);
            // Backprop's loss of the same steps from the forward graphs at θ: the two paths compute one thing.
            double fwdLoss = whole.run(phi0, th, H).meanLoss() * H;
            System.err.printf("theta %d entries, %d pairs: cosine with backprop ES %.3f, PES %.3f "
                    + "(expected about %.2f); loss forward %.9f, backprop %.9f%n", n, pairs, esCos, pesCos,
                    Math.sqrt(pairs / (double) (pairs + n)), fwdLoss, mg.metaLoss());
            assertTrue(Math.abs(fwdLoss - mg.metaLoss()) < 1e-9 * Math.abs(mg.metaLoss()),
                    "forward " + fwdLoss + " backprop " + mg.metaLoss());
            assertTrue(esCos > minCosine, "ES cosine " + esCos);
            assertTrue(pesCos > minCosine, "PES cosine " + pesCos);
        }
    }

    private static double[][] eps(int truncation, int n, int pairs) {
        List<SplittableRandom> s = new ArrayList<>();
        for (int p = 0; p < pairs; p++) {
            s.add(Seeds.stream(11, "direction/" + truncation + "/" + p));
        }
        return Antithetic.perturbations(s, n, SIGMA);
    }
}
