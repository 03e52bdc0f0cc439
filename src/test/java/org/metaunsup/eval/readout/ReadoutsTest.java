package org.metaunsup.eval.readout;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.metaunsup.eval.EvalData;
import org.metaunsup.eval.MeanSe;
import org.metaunsup.cli.ProcessSetup;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;


/** Learning sanity of both readouts on synthetic features whose answer is known. */
class ReadoutsTest {

    private static final int CLASSES = 5;
    private static final int DIM = 12;

    /** Class c sits at a random centre; the noise is small, so the classes are linearly separable. */
    private static INDArray blobs(int[] y, double[][] centres, SplittableRandom rng) {
        double[] x = new double[y.length * DIM];
        for (int i = 0; i < y.length; i++) {
            for (int j = 0; j < DIM; j++) {
                x[i * DIM + j] = centres[y[i]][j] + 0.1 * rng.nextGaussian();
            }
        }
        return Nd4j.create(x, new long[] {y.length, DIM}, DataType.DOUBLE).castTo(DataType.FLOAT);
    }

    private static int[] labels(int perClass) {
        int[] y = new int[perClass * CLASSES];
        for (int i = 0; i < y.length; i++) {
            y[i] = i / perClass;
        }
        return y;
    }

    @Test
    void separableFeaturesAreReadAlmostPerfectlyAndShuffledLabelsAtChance() {
        ProcessSetup.init();
        SplittableRandom rng = new SplittableRandom(7);
        double[][] centres = new double[CLASSES][DIM];
        for (double[] c : centres) {
            for (int j = 0; j < DIM; j++) {
                c[j] = rng.nextGaussian();
            }
        }
        int[] sy = labels(10);
        int[] qy = labels(200);
        INDArray s = blobs(sy, centres, rng);
        INDArray q = blobs(qy, centres, rng);
        RidgeReadout ridge = new RidgeReadout(0.1);
        LogisticReadout logistic = new LogisticReadout(1);
        RidgeReadout.Score r = ridge.fit(s, sy, q, qy, CLASSES);
        assertTrue(r.queryAccuracy() > 0.98, "ridge on separable features: " + r);
        assertTrue(Double.isFinite(r.loss()) && r.loss() < 1.0, "meta-objective " + r.loss());
        assertTrue(logistic.fit(s, sy, q, qy, CLASSES) > 0.98);

        // Query labels shuffled: no readout can beat chance (1/5) except by luck.
        int[] shuffled = qy.clone();
        EvalData.shuffle(shuffled, new SplittableRandom(3));
        double chance = 1.0 / CLASSES;
        double rs = ridge.fit(s, sy, q, shuffled, CLASSES).queryAccuracy();
        double ls = logistic.fit(s, sy, q, shuffled, CLASSES);
        assertEquals(chance, rs, 0.06, "ridge on shuffled labels");
        assertEquals(chance, ls, 0.06, "logistic on shuffled labels");
    }

    @Test
    void meanAndStandardError() {
        MeanSe m = MeanSe.of(1, 2, 3, 4);
        assertEquals(2.5, m.mean(), 1e-12);
        assertEquals(Math.sqrt(5.0 / 3 / 4), m.se(), 1e-12);
        assertEquals(0, MeanSe.of(7).se());
    }
}
