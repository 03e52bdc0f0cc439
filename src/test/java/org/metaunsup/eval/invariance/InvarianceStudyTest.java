package org.metaunsup.eval.invariance;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.metaunsup.BadInputException;
import org.metaunsup.cli.ProcessSetup;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.ConfigLoader;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.data.DataSplits;
import org.metaunsup.data.Dataset;
import org.metaunsup.data.Datasets;
import org.metaunsup.eval.Architectures;
import org.metaunsup.eval.CurvePoint;
import org.metaunsup.eval.EvalData;
import org.metaunsup.eval.EvalProtocol;
import org.metaunsup.eval.Evaluation;
import org.metaunsup.eval.RuleSource;
import org.metaunsup.eval.method.RuleMethod;
import org.metaunsup.eval.readout.PrototypeReadout;
import org.metaunsup.util.Seeds;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


/**
 * The input-order study's pieces: the fixed-permutation seam of {@link Evaluation} applies
 * exactly the permutation given (to the unlabelled batches and to the readout data), the
 * permutations are reproducible and distinct, and the prototype readout is nearest-class-mean.
 */
class InvarianceStudyTest {

    private static DataSplits mnist;
    private static ExperimentConfig cfg;
    private static BaseModelConfig arch;
    private static final EvalProtocol PROTOCOL = new EvalProtocol(3, 3, 2, 10, 100, 2, 0.1);

    @BeforeAll
    static void load() {
        ProcessSetup.init();
        mnist = Datasets.load("mnist14");
        cfg = ConfigLoader.load("tiny").withInputWidth(mnist.train().dim());
        arch = Architectures.parse("6,5,4", mnist.train().dim(), cfg.base().activation());
    }

    /** A dataset whose image i is image i of {@code base} with column j taken from column perm[j]. */
    private static Dataset permuted(Dataset base, int[] perm) {
        return new Dataset(base.name() + "-permuted", base.count(), base.channels(), base.height(), base.width(),
                base.labels(), base.numClasses(), null) {
            @Override
            public void copyImage(int i, float[] dst, int offset) {
                float[] img = base.image(i);
                for (int j = 0; j < perm.length; j++) {
                    dst[offset + j] = img[perm[j]];
                }
            }
        };
    }

    private static List<CurvePoint> run(EvalData data, int[] perm) {
        RuleMethod rule = new RuleMethod("rule-init", "random rule", RuleSource.random(cfg, 4, 7), 4);
        Evaluation e = new Evaluation(cfg, arch, data, PROTOCOL, 5, DataType.FLOAT).withPermutation(perm);
        Evaluation.Result r = e.run(List.of(rule), null, () -> false);
        assertTrue(r.complete());
        return r.points();
    }

    @Test
    void aFixedPermutationOnTheDataEqualsTheIdentityOnDataPermutedByIt() {
        EvalData data = EvalData.of(mnist);
        int dim = data.dim();
        int[] identity = EvalData.range(dim);
        int[] p = identity.clone();
        EvalData.shuffle(p, new SplittableRandom(42));
        EvalData pre = EvalData.of(new DataSplits("mnist14-permuted", permuted(mnist.train(), p),
                permuted(mnist.test(), p), List.of()));

        List<CurvePoint> seam = run(data, p);
        List<CurvePoint> byHand = run(pre, identity);
        assertEquals(2 * 2, seam.size(), "2 seeds x steps 0 and 3");
        // Every number, the meta-objective included, which moves with every inner step: the
        // permutation reached the unlabelled batches as well as the readout rows.
        assertEquals(byHand, seam);
        assertNotEquals(run(data, identity), seam, "the permutation changes the numbers");
    }

    @Test
    void withoutAFixedPermutationEachSeedKeepsItsOwn() {
        EvalData data = EvalData.of(mnist);
        Evaluation e = new Evaluation(cfg, arch, data, PROTOCOL, 5, DataType.FLOAT);
        assertArrayEquals(data.permutation(e.seed(0)), e.permutation(e.seed(0)));
        int[] p = EvalData.range(data.dim());
        EvalData.shuffle(p, new SplittableRandom(3));
        Evaluation fixed = e.withPermutation(p);
        assertArrayEquals(p, fixed.permutation(e.seed(0)));
        assertArrayEquals(p, fixed.permutation(e.seed(1)));
        assertArrayEquals(data.permutation(e.seed(1)), e.permutation(e.seed(1)), "the original is unchanged");
        int[] notAPermutation = p.clone();
        notAPermutation[0] = notAPermutation[1];
        assertThrows(IllegalArgumentException.class, () -> e.withPermutation(notAPermutation));
        assertThrows(IllegalArgumentException.class, () -> e.withPermutation(new int[] {0, 1}));
    }

    @Test
    void permutationsAreTheIdentityThenDistinctReproducibleShuffles() {
        EvalData data = EvalData.of(mnist);
        InvarianceStudy a = new InvarianceStudy(cfg, arch, data, PROTOCOL, 3,
                new InvarianceStudy.ExtractorRecipe(5, 1), 11, DataType.FLOAT);
        InvarianceStudy b = new InvarianceStudy(cfg, arch, data, PROTOCOL, 3,
                new InvarianceStudy.ExtractorRecipe(5, 1), 12, DataType.FLOAT);
        assertArrayEquals(EvalData.range(data.dim()), a.permutation(0));
        for (int p = 1; p <= 3; p++) {
            int[] perm = a.permutation(p);
            int[] sorted = perm.clone();
            Arrays.sort(sorted);
            assertArrayEquals(EvalData.range(data.dim()), sorted, "a permutation");
            assertArrayEquals(perm, a.permutation(p), "reproducible");
            assertTrue(!Arrays.equals(perm, a.permutation(0)) && !Arrays.equals(perm, b.permutation(p)));
            assertEquals(Seeds.derive(11, "invariance-permutation-" + p), a.permutationSeed(p));
        }
        assertTrue(!Arrays.equals(a.permutation(1), a.permutation(2)));
        assertEquals(4, a.permutationCount());
        assertThrows(BadInputException.class, () -> new InvarianceStudy(cfg, arch, data,
                new EvalProtocol(3, 3, 1, 10, 100, 2, 0.1), 3, InvarianceStudy.ExtractorRecipe.standard(), 1,
                DataType.FLOAT));
    }

    @Test
    void prototypeReadoutIsNearestClassMean() {
        // Support means: class 0 at (0, 0), class 1 at (4, 0), class 2 at (0, 4).
        var support = Nd4j.createFromArray(new double[][] {{-1, 0}, {1, 0}, {3, 0}, {5, 0}, {0, 3}, {0, 5}});
        int[] sy = {0, 0, 1, 1, 2, 2};
        var query = Nd4j.createFromArray(new double[][] {{0.5, 0.5}, {2.1, 0}, {1.9, 0}, {0, 3.9}});
        assertEquals(1.0, PrototypeReadout.accuracy(support, sy, query, new int[] {0, 1, 0, 2}, 3));
        assertEquals(0.5, PrototypeReadout.accuracy(support, sy, query, new int[] {0, 0, 1, 2}, 3));
        assertThrows(IllegalArgumentException.class,
                () -> PrototypeReadout.accuracy(support, new int[] {0, 0, 0, 0, 1, 1}, query, new int[4], 3));
    }
}
