package org.metaunsup.eval.method;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.metaunsup.basemodel.BaseModelGraph;
import org.metaunsup.basemodel.PhiState;
import org.metaunsup.basemodel.PhiVars;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.eval.FeatureMethod;
import org.metaunsup.eval.MethodContext;
import org.metaunsup.unroll.TruncationInputs;
import org.metaunsup.util.Seeds;
import org.metaunsup.util.TruncatedNormal;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Baseline "supervised": the base MLP itself (same forward pass, same φ₀ as the rule) plus a
 * linear softmax head, trained by backpropagation with Adam on only the seed's labelled training
 * examples ({@code shots} per class), one full-batch step per training step. Features = x^L.
 * It sees labels the other methods never see, so it is the few-label reference, not a rival.
 */
public final class SupervisedMethod implements FeatureMethod {

    /** Adam learning rate. */
    public static final double LEARNING_RATE = 3e-3;

    @Override
    public String id() {
        return "supervised";
    }

    @Override
    public String label() {
        return "supervised (labelled examples only)";
    }

    @Override
    public SupervisedRun start(MethodContext ctx) {
        return new SupervisedRun(ctx);
    }

    /** The supervised network of one seed. */
    public static final class SupervisedRun implements Run {
        private final SameDiff sd = SameDiff.create();
        private final INDArray trainX;
        private final INDArray trainY;
        private final String top;
        private final String logits;
        private boolean gradientBuilt;

        SupervisedRun(MethodContext ctx) {
            this(ctx.arch(), ctx.initSeed(), Seeds.stream(ctx.seed(), "supervised-head"),
                    ctx.labelled().supervisedBatch(ctx.perm(), ctx.dtype()),
                    ctx.labelled().supervisedY(), ctx.labelled().data().classes(), ctx.dtype());
        }

        /**
         * The network on any labelled examples (the input-order study trains it on more of them).
         *
         * @param arch base architecture
         * @param initSeed seed of φ₀ ({@link PhiState#init})
         * @param headRng draws the head's initial weights
         * @param x labelled inputs [n, D], as the network will see them
         * @param y their labels
         * @param classes C, the head's width
         * @param dt floating type
         */
        public SupervisedRun(BaseModelConfig arch, long initSeed, SplittableRandom headRng, INDArray x,
                      int[] y, int classes, DataType dt) {
            PhiState phi0 = PhiState.init(arch, initSeed, dt);
            List<SDVariable> w = new ArrayList<>();
            List<SDVariable> b = new ArrayList<>();
            for (int l = 1; l <= arch.depth(); l++) {
                w.add(sd.var("W" + l, phi0.w().get(l - 1).dup()));
                b.add(sd.var("b" + l, phi0.b().get(l - 1).dup()));
            }
            SDVariable xIn = sd.placeHolder("x", dt, -1, arch.inputWidth());
            SDVariable yIn = sd.placeHolder("y", dt, -1, classes);
            SDVariable features = BaseModelGraph.forward(sd, new PhiVars(w, w, b), xIn, arch.activation()).top();
            double[] hw = new double[arch.topWidth() * classes];
            for (int i = 0; i < hw.length; i++) {
                hw[i] = TruncatedNormal.draw(headRng) / Math.sqrt(arch.topWidth());
            }
            SDVariable headW = sd.var("head_w", Nd4j.create(hw, new long[] {arch.topWidth(), classes},
                    DataType.DOUBLE).castTo(dt));
            SDVariable headB = sd.var("head_b", Nd4j.zeros(dt, classes));
            SDVariable z = features.mmul(headW).add(headB);
            // Cross-entropy written out: the stock loss ops mishandle incoming gradients (SAMEDIFF-FACTS).
            SDVariable loss = sd.math().neg(yIn.mul(sd.nn().logSoftmax(z)).sum(1).mean());
            sd.identity("loss", loss);
            sd.setLossVariables("loss");
            top = features.name();
            logits = z.name();
            sd.setTrainingConfig(TrainingConfig.builder().updater(new Adam(LEARNING_RATE))
                    .dataSetFeatureMapping("x").dataSetLabelMapping("y").build());
            trainX = x.castTo(dt);
            trainY = TruncationInputs.oneHot(y, classes, dt);
        }

        @Override
        public void train(int steps) {
            if (!gradientBuilt && steps > 0) {
                // SameDiff prints a line per op to stdout while it builds this; the command line
                // drops those lines (cli.Logging). A library never swaps the caller's System.out.
                sd.createGradFunction();
                gradientBuilt = true;
            }
            DataSet batch = new DataSet(trainX, trainY);
            for (int i = 0; i < steps; i++) {
                sd.fit(batch);
            }
        }

        @Override
        public INDArray features(INDArray x) {
            return sd.output(Map.of("x", x.castTo(trainX.dataType())), top).get(top);
        }

        /** @return accuracy of the network's own head on its labelled training examples */
        public double trainingAccuracy() {
            INDArray z = sd.output(Map.of("x", trainX), logits).get(logits);
            INDArray pred = z.argMax(1);
            INDArray truth = trainY.argMax(1);
            return pred.eq(truth).castTo(DataType.DOUBLE).meanNumber().doubleValue();
        }
    }
}
