package org.metaunsup.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.metaunsup.cli.ProcessSetup;
import org.metaunsup.config.ConfigLoader;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.eval.CurvePoint;
import org.metaunsup.eval.EvalData;
import org.metaunsup.eval.EvalProtocol;
import org.metaunsup.eval.Evaluation;
import org.metaunsup.eval.method.NoRuleMethod;
import org.metaunsup.eval.method.RuleMethod;
import org.metaunsup.rule.HebbianTheta;
import org.metaunsup.rule.Theta;
import org.metaunsup.rule.ThetaSpec;
import org.metaunsup.util.Seeds;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The hand-designed θ (docs/METHOD.md#hand-init) learns: applied with the real rule graph to the
 * {@code small} base model (196-64-64-32, inner batch 64, η = 1e-3), its features beat the
 * random-init features of the same φ₀ in 10-shot ridge accuracy, on the fixed 10-way tasks of the
 * glyph validation scripts that meta-training validates on (never MNIST, the test set). The
 * default-suite check uses the {@code tiny} rule widths (the learner of equation H does not depend
 * on them, only the cost of the graph does), fewer steps and one task; the full check, 1,000 steps
 * with the {@code small} rule on all four validation scripts, is tagged {@code slow}.
 */
class HebbianThetaLearnsTest {

    @Test
    void handThetaBeatsRandomInitFeaturesAfterAFewHundredSteps() {
        double gain = gain(withTinyRule(ConfigLoader.load("small")), 300, 1);
        System.out.printf("hand theta, tiny rule widths, 300 steps, 1 validation task: ridge gain %.3f%n", gain);
        assertTrue(gain >= 0.03, "the hand-designed rule should beat random-init features by 3 points, gain " + gain);
    }

    @Tag("slow")
    @Test
    void handThetaBeatsRandomInitFeaturesAt1000StepsOnEveryValidationScript() {
        double gain = gain(ConfigLoader.load("small"), 1000, 4);
        System.out.printf("hand theta, small, 1000 steps, 4 validation tasks: mean ridge gain %.3f%n", gain);
        assertTrue(gain >= 0.02, "the hand-designed rule should beat random-init features by 2 points, gain " + gain);
    }

    /**
     * @return mean over tasks of (ridge accuracy of the hand θ after {@code steps} inner steps − that
     *     of the random-init features of the same φ₀)
     */
    private static double gain(ExperimentConfig config, int steps, int tasks) {
        ProcessSetup.init();
        List<EvalData> validation = HeldOutEvaluation.validationTasks(14, tasks);
        double sum = 0;
        for (int t = 0; t < tasks; t++) {
            EvalData data = validation.get(t);
            ExperimentConfig cfg = config.withInputWidth(data.dim());
            ThetaSpec spec = new ThetaSpec(cfg.rule(), cfg.base().topWidth());
            Theta theta = HebbianTheta.init(spec, 1, DataType.FLOAT);
            EvalProtocol p = new EvalProtocol(steps, steps, 1, 10, Math.max(data.classes(),
                    Math.min(1000, data.heldOutCount() / 2)), 5, cfg.objective().lambda());
            List<CurvePoint> pts = new Evaluation(cfg, cfg.base(), data, p,
                    Seeds.derive(HeldOutEvaluation.SEED, "validation-" + t), DataType.FLOAT)
                    .run(List.of(new RuleMethod("rule", "hand", theta, spec.topUnits()), new NoRuleMethod()), null,
                            () -> false).points();
            double rule = at(pts, "rule", steps);
            double none = at(pts, "none", steps);
            System.out.printf("validation task %d: hand theta %.3f, random-init features %.3f%n", t, rule, none);
            sum += rule - none;
        }
        return sum / tasks;
    }

    private static double at(List<CurvePoint> pts, String method, int step) {
        return pts.stream().filter(p -> p.method().equals(method) && p.step() == step).findFirst().orElseThrow()
                .ridgeAccuracy();
    }

    /** {@code cfg} with the rule widths of {@code tiny}: the same learner under θ_H, a cheaper graph. */
    private static ExperimentConfig withTinyRule(ExperimentConfig cfg) {
        Map<String, String> props = new HashMap<>(cfg.toProperties());
        ConfigLoader.load("tiny").toProperties().forEach((k, v) -> {
            if (k.startsWith("rule.")) {
                props.put(k, v);
            }
        });
        return ConfigLoader.resolve(cfg.name() + "-tiny-rule", props);
    }
}
