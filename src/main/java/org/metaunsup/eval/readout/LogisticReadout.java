package org.metaunsup.eval.readout;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.metaunsup.unroll.TruncationInputs;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Multinomial logistic regression on few-shot features: a DL4J network with one softmax
 * {@link OutputLayer} (cross-entropy, L2 weight decay), fitted full-batch with Adam for a fixed
 * number of iterations on features standardised with the support set's statistics (feature
 * scales differ by orders of magnitude between methods, raw pixels vs ReLU units). Evaluation
 * only: it is not differentiable and does not enter meta-training.
 */
public final class LogisticReadout {

    /** Full-batch Adam iterations per fit. */
    public static final int ITERATIONS = 100;
    /** Adam learning rate. */
    public static final double LEARNING_RATE = 0.05;
    /** L2 weight decay coefficient. */
    public static final double L2 = 1e-3;

    private final long seed;

    /** @param seed initialisation seed of the readout weights */
    public LogisticReadout(long seed) {
        this.seed = seed;
    }

    /**
     * @param support support features [nS, F]
     * @param supportY support labels
     * @param query query features [nQ, F]
     * @param queryY query labels
     * @param classes C
     * @return query accuracy
     */
    public double fit(INDArray support, int[] supportY, INDArray query, int[] queryY, int classes) {
        INDArray s = support.castTo(DataType.FLOAT);
        INDArray q = query.castTo(DataType.FLOAT);
        INDArray mean = s.mean(true, 0);
        INDArray std = s.std(false, true, 0).addi(1e-6f);
        s = s.subRowVector(mean).diviRowVector(std);
        q = q.subRowVector(mean).diviRowVector(std);
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Adam(LEARNING_RATE))
                .l2(L2)
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(s.size(1)).nOut(classes).activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        DataSet data = new DataSet(s, TruncationInputs.oneHot(supportY, classes, DataType.FLOAT));
        for (int i = 0; i < ITERATIONS; i++) {
            net.fit(data);
        }
        INDArray pred = net.output(q, false).argMax(1);
        int right = 0;
        for (int i = 0; i < queryY.length; i++) {
            if (pred.getInt(i) == queryY[i]) {
                right++;
            }
        }
        return right / (double) queryY.length;
    }
}
