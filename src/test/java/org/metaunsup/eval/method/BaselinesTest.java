package org.metaunsup.eval.method;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.metaunsup.cli.ProcessSetup;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.ConfigLoader;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.data.Datasets;
import org.metaunsup.eval.Architectures;
import org.metaunsup.eval.EvalData;
import org.metaunsup.eval.EvalProtocol;
import org.metaunsup.eval.FeatureMethod;
import org.metaunsup.eval.MethodContext;
import org.metaunsup.eval.RuleSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;


/** Every method trains on real MNIST 14×14 at tiny sizes and yields features of the right shape. */
class BaselinesTest {

    private static EvalData data;
    private static ExperimentConfig cfg;
    private static final EvalProtocol PROTOCOL = new EvalProtocol(3, 1, 1, 10, 100, 2, 0.1);

    @BeforeAll
    static void load() {
        ProcessSetup.init();
        data = EvalData.of(Datasets.load("mnist14"));
        cfg = ConfigLoader.load("tiny").withInputWidth(data.dim());
    }

    private static MethodContext context(BaseModelConfig arch, long seed) {
        int[] perm = data.permutation(seed);
        return new MethodContext(cfg.withBase(arch), arch, seed, data.unlabelled(seed, cfg.innerBatch(), perm),
                data.labelled(PROTOCOL, seed), perm, DataType.FLOAT);
    }

    @Test
    void everyMethodTrainsAndGivesFeaturesOfTheRightShape() {
        BaseModelConfig arch = Architectures.parse("6,5,4", data.dim(), cfg.base().activation());
        RuleSource.Loaded random = RuleSource.load("random", cfg, 4, 1);
        List<FeatureMethod> all = Methods.create(Methods.ALL, random, cfg, 4, 1);
        assertEquals(List.of("rule-init", "none", "raw", "pca", "vae", "beta-vae", "supervised"),
                all.stream().map(FeatureMethod::id).toList());
        MethodContext ctx = context(arch, 11);
        INDArray x = ctx.labelled().evalBatch(ctx.perm(), DataType.FLOAT);
        assertEquals(100 + 2 * 100, x.size(0));
        for (FeatureMethod m : all) {
            try (FeatureMethod.Run run = m.start(context(arch, 11))) {
                INDArray before = run.features(x).dup();
                run.train(3);
                INDArray f = run.features(x);
                long width = m.id().equals("raw") ? data.dim() : 4;
                assertArrayEquals(new long[] {x.size(0), width}, f.shape(), m.id());
                assertTrue(!f.isNaN().any() && !f.isInfinite().any(),
                        m.id());
                if (run.learns()) {
                    assertTrue(f.castTo(DataType.DOUBLE).sub(before.castTo(DataType.DOUBLE)).norm2Number()
                            .doubleValue() > 0, m.id() + " features change with training");
                } else {
                    assertEquals(before, f, m.id() + " does not learn");
                }
            }
        }
    }

    @Test
    void supervisedBaselineFitsItsHundredExamples() {
        BaseModelConfig arch = Architectures.parse("64,32", data.dim(), cfg.base().activation());
        SupervisedMethod.SupervisedRun run = new SupervisedMethod().start(context(arch, 5));
        double before = run.trainingAccuracy();
        run.train(150);
        double after = run.trainingAccuracy();
        assertTrue(after >= 0.97, "training accuracy on its 100 examples: " + before + " -> " + after);
    }

    @Test
    void labelledSetsAreDisjointBalancedAndSeeded() {
        EvalData.Labelled a = data.labelled(PROTOCOL, 3);
        EvalData.Labelled b = data.labelled(PROTOCOL, 3);
        assertArrayEquals(a.query(), b.query());
        assertEquals(100, a.query().length);
        Set<Integer> q = new HashSet<>();
        for (int i : a.query()) {
            q.add(i);
        }
        for (int[] s : a.supports()) {
            assertEquals(100, s.length);
            for (int i : s) {
                assertTrue(!q.contains(i), "support and query overlap");
            }
        }
        assertTrue(!Arrays.equals(a.query(), data.labelled(PROTOCOL, 4).query()));
    }
}
