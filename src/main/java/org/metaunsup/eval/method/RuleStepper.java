package org.metaunsup.eval.method;

import org.metaunsup.basemodel.PhiState;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.eval.EvalData;
import org.metaunsup.rule.Theta;
import org.metaunsup.unroll.RuleStep;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One inner step of a frozen rule, φ → φ', on one unlabelled batch, through the shared
 * {@link RuleStep} of {@code unroll}. The permutation input is the identity, because evaluation
 * permutes its data before any method sees it.
 */
public final class RuleStepper {

    private final RuleStep step;
    private final int[] identity;

    /**
     * @param cfg rule widths, inner batch and η
     * @param arch the base architecture
     * @param theta the frozen rule
     * @param dtype floating type
     */
    public RuleStepper(ExperimentConfig cfg, BaseModelConfig arch, Theta theta, DataType dtype) {
        this.step = new RuleStep(cfg.graph().withBase(arch), arch, theta, dtype);
        this.identity = EvalData.range(arch.inputWidth());
    }

    /** @return the inner batch size the step graph takes */
    public int batch() {
        return step.graph().batch();
    }

    /**
     * @param phi φ before the step
     * @param x one unlabelled batch, already permuted
     * @return φ after the step
     */
    public PhiState step(PhiState phi, INDArray x) {
        return step.apply(phi, identity, x);
    }
}
