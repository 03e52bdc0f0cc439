package org.metaunsup.eval.method;

import java.util.HashMap;
import java.util.Map;
import org.metaunsup.BadInputException;
import org.metaunsup.basemodel.PhiState;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.eval.FeatureMethod;
import org.metaunsup.eval.MethodContext;
import org.metaunsup.rule.Theta;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The learned rule: a frozen θ applied to a fresh base model, one inner step per unlabelled
 * minibatch (docs/METHOD.md#rule); features are x^L. θ from a file, or the meta-initialisation.
 */
public final class RuleMethod implements FeatureMethod {

    private final String id;
    private final String label;
    private final Theta theta;
    private final int topUnits;
    private final Map<BaseModelConfig, RuleStepper> steppers = new HashMap<>();
    private final Map<BaseModelConfig, BaseFeatures> forwards = new HashMap<>();

    /**
     * @param id e.g. {@code rule} or {@code rule-init}
     * @param label legend text
     * @param theta frozen rule parameters
     * @param topUnits the top width n_L θ was built for
     */
    public RuleMethod(String id, String label, Theta theta, int topUnits) {
        this.id = id;
        this.label = label;
        this.theta = theta;
        this.topUnits = topUnits;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String label() {
        return label;
    }

    /** @return the rule parameters */
    public Theta theta() {
        return theta;
    }

    @Override
    public Run start(MethodContext ctx) {
        if (topUnits != ctx.arch().topWidth()) {
            throw new BadInputException("the rule was trained for " + topUnits
                    + " top units; the architecture has " + ctx.arch().topWidth()
                    + " (the top width is a property of a trained theta)");
        }
        RuleStepper stepper = steppers.computeIfAbsent(ctx.arch(),
                a -> new RuleStepper(ctx.config(), a, theta, ctx.dtype()));
        BaseFeatures forward = forwards.computeIfAbsent(ctx.arch(), a -> new BaseFeatures(a, ctx.dtype()));
        return new Run() {
            private PhiState phi = PhiState.init(ctx.arch(), ctx.initSeed(), ctx.dtype());

            @Override
            public void train(int steps) {
                for (int i = 0; i < steps; i++) {
                    phi = stepper.step(phi, ctx.unlabelled().next(ctx.dtype()));
                }
            }

            @Override
            public INDArray features(INDArray x) {
                return forward.features(phi, x);
            }
        };
    }
}
