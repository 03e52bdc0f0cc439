package org.metaunsup.eval.method;

import org.deeplearning4j.nn.conf.layers.variational.ReconstructionDistribution;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * A reconstruction distribution whose negative log-likelihood (and its gradient) is multiplied by
 * a constant. DL4J's VAE layer minimises −log p(x|z) + KL with no β; weighting the first term by
 * 1/β minimises (−log p(x|z) + β·KL)/β, the β-VAE objective divided by a constant, which Adam's
 * scale-invariant steps follow the same way. Sampling and means are the wrapped distribution's.
 */
public final class ScaledReconstruction implements ReconstructionDistribution {

    private static final long serialVersionUID = 1L;

    @JsonProperty
    private ReconstructionDistribution inner;
    @JsonProperty
    private double scale;

    /** For DL4J's JSON (de)serialisation of layer configurations. */
    public ScaledReconstruction() {}

    /**
     * @param inner the distribution to scale
     * @param scale factor on its negative log-likelihood (1/β for a β-VAE)
     */
    public ScaledReconstruction(ReconstructionDistribution inner, double scale) {
        this.inner = inner;
        this.scale = scale;
    }

    @Override
    public boolean hasLossFunction() {
        return inner.hasLossFunction();
    }

    @Override
    public int distributionInputSize(int dataSize) {
        return inner.distributionInputSize(dataSize);
    }

    @Override
    public double negLogProbability(INDArray x, INDArray preOutDistributionParams, boolean average) {
        return scale * inner.negLogProbability(x, preOutDistributionParams, average);
    }

    @Override
    public INDArray exampleNegLogProbability(INDArray x, INDArray preOutDistributionParams) {
        return inner.exampleNegLogProbability(x, preOutDistributionParams).muli(scale);
    }

    @Override
    public INDArray gradient(INDArray x, INDArray preOutDistributionParams) {
        return inner.gradient(x, preOutDistributionParams).muli(scale);
    }

    @Override
    public INDArray generateRandom(INDArray preOutDistributionParams) {
        return inner.generateRandom(preOutDistributionParams);
    }

    @Override
    public INDArray generateAtMean(INDArray preOutDistributionParams) {
        return inner.generateAtMean(preOutDistributionParams);
    }

    @Override
    public String toString() {
        return "ScaledReconstruction(" + inner + " x " + scale + ")";
    }
}
