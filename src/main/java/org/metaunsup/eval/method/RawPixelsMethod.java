package org.metaunsup.eval.method;

import org.metaunsup.eval.FeatureMethod;
import org.metaunsup.eval.MethodContext;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Baseline "raw pixels": the readouts see the (permuted) input pixels themselves. */
public final class RawPixelsMethod implements FeatureMethod {

    @Override
    public String id() {
        return "raw";
    }

    @Override
    public String label() {
        return "raw pixels";
    }

    @Override
    public Run start(MethodContext ctx) {
        return new Run() {
            @Override
            public void train(int steps) {
                // Pixels do not train.
            }

            @Override
            public INDArray features(INDArray x) {
                return x;
            }

            @Override
            public boolean learns() {
                return false;
            }
        };
    }
}
