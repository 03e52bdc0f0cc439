package org.metaunsup.testing;

import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Seeded test arrays that never touch nd4j's global random generator. */
public final class TestArrays {

    private TestArrays() {}

    /**
     * Standard normal entries.
     *
     * @param rnd source of randomness
     * @param dt data type
     * @param shape shape
     * @return a new array
     */
    public static INDArray gaussian(Random rnd, DataType dt, long... shape) {
        INDArray a = Nd4j.create(dt, shape);
        for (long i = 0; i < a.length(); i++) {
            a.putScalar(i, rnd.nextGaussian());
        }
        return a;
    }

    /**
     * One-hot rows for the given classes.
     *
     * @param dt data type
     * @param numClasses C
     * @param classes class of each row
     * @return [classes.length, C]
     */
    public static INDArray oneHot(DataType dt, int numClasses, int... classes) {
        INDArray a = Nd4j.zeros(dt, classes.length, numClasses);
        for (int i = 0; i < classes.length; i++) {
            a.putScalar(i, classes[i], 1.0);
        }
        return a;
    }

    /**
     * Balanced labels 0,1,…,C−1,0,1,… shuffled with {@code rnd}.
     *
     * @param rnd source of randomness
     * @param n number of rows
     * @param numClasses C
     * @return class per row
     */
    public static int[] balancedClasses(Random rnd, int n, int numClasses) {
        int[] c = new int[n];
        for (int i = 0; i < n; i++) {
            c[i] = i % numClasses;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = c[i];
            c[i] = c[j];
            c[j] = t;
        }
        return c;
    }
}
