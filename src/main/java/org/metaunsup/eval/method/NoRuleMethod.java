package org.metaunsup.eval.method;

import java.util.HashMap;
import java.util.Map;
import org.metaunsup.basemodel.PhiState;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.eval.FeatureMethod;
import org.metaunsup.eval.MethodContext;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Baseline "no rule": the base model at its random initialisation φ₀ (the same φ₀ the rule starts
 * from), never trained; its curve is flat by construction.
 */
public final class NoRuleMethod implements FeatureMethod {

    private final Map<BaseModelConfig, BaseFeatures> forwards = new HashMap<>();

    @Override
    public String id() {
        return "none";
    }

    @Override
    public String label() {
        return "no rule (random-init features)";
    }

    @Override
    public Run start(MethodContext ctx) {
        BaseFeatures forward = forwards.computeIfAbsent(ctx.arch(), a -> new BaseFeatures(a, ctx.dtype()));
        PhiState phi = PhiState.init(ctx.arch(), ctx.initSeed(), ctx.dtype());
        return new Run() {
            @Override
            public void train(int steps) {
                // Nothing learns: the point of this baseline.
            }

            @Override
            public INDArray features(INDArray x) {
                return forward.features(phi, x);
            }

            @Override
            public boolean learns() {
                return false;
            }
        };
    }
}
