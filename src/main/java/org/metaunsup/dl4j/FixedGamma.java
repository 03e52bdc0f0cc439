package org.metaunsup.dl4j;

import java.util.Set;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.constraint.BaseConstraint;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keeps a BatchNormalization layer's scale γ at exactly 1 during fine-tuning: the base model's
 * batch norm has no learned scale (docs/METHOD.md#base-model), and DL4J cannot lock γ without also locking
 * β (which carries the base model's bias b). Applied by DL4J after every parameter update.
 *
 * <p>Attach it with {@code constrainAllParameters}: in DL4J 1.0.0-M2.1 the BatchNormalization
 * builder's {@code constrainGamma} stores its constraints but the layer never applies them
 * (measured: γ drifted to 0.96 in five Adam steps). This constraint therefore ignores the
 * parameter set it is given and touches only {@code gamma}.
 */
public final class FixedGamma extends BaseConstraint {

    private static final long serialVersionUID = 1L;

    /** For DL4J's configuration (de)serialisation. */
    public FixedGamma() {
        super(Set.of());
    }

    @Override
    public void applyConstraint(Layer layer, int iteration, int epoch) {
        INDArray gamma = layer.paramTable().get(BatchNormalizationParamInitializer.GAMMA);
        if (gamma != null) {
            gamma.assign(1.0);
        }
    }

    @Override
    public void apply(INDArray param) {
        // unused: applyConstraint picks gamma itself
    }

    @Override
    public FixedGamma clone() {
        FixedGamma c = new FixedGamma();
        c.setParams(getParams());
        return c;
    }
}
