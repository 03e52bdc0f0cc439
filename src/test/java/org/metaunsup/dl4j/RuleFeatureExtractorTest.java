package org.metaunsup.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.Random;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.metaunsup.config.Activation;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.export.BaseModel;
import org.metaunsup.export.LearnedRule;
import org.metaunsup.testing.DoublePrecision;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The DL4J network equals the SameDiff base model under the same fixed statistics; it survives
 * ModelSerializer; frozen and fine-tuned networks behave as documented.
 */
@ExtendWith(DoublePrecision.class)
class RuleFeatureExtractorTest {

    private static final int N = 50;

    private static INDArray data(long seed, int rows, int cols) {
        Random rnd = new Random(seed);
        INDArray a = Nd4j.create(DataType.DOUBLE, rows, cols);
        for (long i = 0; i < a.length(); i++) {
            a.putScalar(i, rnd.nextDouble());
        }
        return a;
    }

    private static RuleFeatureExtractor extractor(Activation act) {
        LearnedRule rule = LearnedRule.metaInitialised("tiny", 3);
        BaseModelConfig arch = new BaseModelConfig(new int[] {16, 7, 5, 4}, act);
        // Batches of 7 do not divide 50: the streaming statistics combine uneven batches.
        return RuleFeatureExtractor.learn(rule, new ArrayDataSetIterator(data(1, N, 16), null, 7), arch, 3, 5, null);
    }

    @ParameterizedTest
    @EnumSource(value = Activation.class, names = {"RELU", "LEAKY_RELU", "TANH", "SWISH"})
    void networkEqualsTheSameDiffBaseModelOnTheWholeSetAsOneBatch(Activation act) {
        RuleFeatureExtractor ex = extractor(act);
        BaseModel m = ex.model();
        assertEquals(3, m.innerSteps());
        assertEquals(N, ex.statistics().count());
        INDArray x = data(1, N, 16);
        // SameDiff base model, batch statistics of all N rows = the population statistics.
        INDArray sameDiff = m.features(x);
        INDArray dl4j = ex.network(DataType.DOUBLE).output(x, false);
        double scale = sameDiff.amaxNumber().doubleValue();
        assertTrue(scale > 0);
        assertTrue(sameDiff.sub(dl4j).amaxNumber().doubleValue() <= 1e-9 * scale,
                act + ": DL4J differs by " + sameDiff.sub(dl4j).amaxNumber());
        assertTrue(ex.statistics().features(m, x).sub(dl4j).amaxNumber().doubleValue() <= 1e-9 * scale);
        // Inference is one fixed function: a row's features do not depend on its batch.
        INDArray three = ex.network(DataType.DOUBLE).output(x.get(NDArrayIndex.interval(0, 3),
                NDArrayIndex.all()), false);
        assertTrue(three.sub(dl4j.getRows(0, 1, 2)).amaxNumber().doubleValue() <= 1e-12 * scale);
    }

    @Test
    void frozenAndSavedNetworksGiveTheSameFeatures_fineTuningKeepsGammaAtOne(@TempDir Path tmp) throws Exception {
        RuleFeatureExtractor ex = extractor(Activation.RELU);
        INDArray x = data(9, 20, 16);
        INDArray plain = ex.network(DataType.DOUBLE).output(x, false);
        MultiLayerNetwork frozen = ex.frozenNetwork(DataType.DOUBLE);
        assertEquals(plain, frozen.output(x, true), "frozen layers always use the stored statistics");
        File zip = tmp.resolve("extractor.zip").toFile();
        ModelSerializer.writeModel(ex.network(DataType.DOUBLE), zip, true);
        assertEquals(plain, ModelSerializer.restoreMultiLayerNetwork(zip).output(x, false));

        // Fine-tune everything with a 3-way softmax on top: weights move, gamma stays exactly 1.
        MultiLayerNetwork tuned = new TransferLearning.Builder(ex.network(DataType.DOUBLE))
                .fineTuneConfiguration(new FineTuneConfiguration.Builder().updater(new Adam(1e-2)).seed(1).build())
                .addLayer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(4).nOut(3)
                        .activation(new ActivationSoftmax()).build())
                .build();
        INDArray y = Nd4j.zeros(DataType.DOUBLE, 20, 3);
        for (int i = 0; i < 20; i++) {
            y.putScalar(i, i % 3, 1.0);
        }
        INDArray w1 = tuned.getLayer(0).getParam("W").dup();
        for (int i = 0; i < 5; i++) {
            tuned.fit(new DataSet(x, y));
        }
        assertTrue(tuned.getLayer(0).getParam("W").sub(w1).amaxNumber().doubleValue() > 0, "fine-tunable");
        for (int l = 0; l < 3; l++) {
            INDArray gamma = tuned.getLayer(3 * l + 1).getParam("gamma");
            assertEquals(1.0, gamma.minNumber().doubleValue());
            assertEquals(1.0, gamma.maxNumber().doubleValue());
        }
        File tunedZip = tmp.resolve("tuned.zip").toFile();
        ModelSerializer.writeModel(tuned, tunedZip, true);
        assertEquals(tuned.output(x, false), ModelSerializer.restoreMultiLayerNetwork(tunedZip).output(x, false));
    }
}
