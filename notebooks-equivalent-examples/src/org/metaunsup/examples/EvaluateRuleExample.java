package org.metaunsup.examples;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.metaunsup.cli.ProcessSetup;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.ConfigLoader;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.data.Datasets;
import org.metaunsup.eval.Architectures;
import org.metaunsup.eval.CurvePoint;
import org.metaunsup.eval.curves.CurveTable;
import org.metaunsup.eval.EvalData;
import org.metaunsup.eval.EvalProtocol;
import org.metaunsup.eval.Evaluation;
import org.metaunsup.eval.FeatureMethod;
import org.metaunsup.eval.method.Methods;
import org.metaunsup.eval.RuleSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Evaluate a rule on data it was not meta-trained on (MNIST 14×14) and on an architecture of your
 * choice: the frozen rule trains fresh base models on the unlabelled training split, and every few
 * steps a 10-shot ridge and a logistic readout are scored on held-out test images, beside the
 * "no rule" baseline (the same base model never trained). What {@code evaluate} does, as code.
 */
public final class EvaluateRuleExample {

    private EvaluateRuleExample() {}

    /**
     * @param config config name (rule widths, inner batch, η)
     * @param rule {@code random} (meta-initialised θ) or a θ file
     * @param arch hidden and top widths, e.g. {@code 48x3,32} (the top width must be θ's)
     * @param steps inner steps per seed
     * @param seeds seeds (fresh base models)
     * @return mean ± se per method and step
     */
    public static CurveTable run(String config, String rule, String arch, int steps, int seeds) {
        ProcessSetup.init();   // this program owns its process: the command line's settings
        EvalData data = EvalData.of(Datasets.load("mnist14"));
        ExperimentConfig cfg = ConfigLoader.load(config);
        BaseModelConfig base = Architectures.parse(arch, data.dim(), cfg.base().activation());
        RuleSource.Loaded loaded = RuleSource.load(rule, cfg, base.topWidth(), 7);
        List<FeatureMethod> methods = Methods.create(List.of("rule", "none"), loaded, cfg, base.topWidth(), 7);
        EvalProtocol protocol = new EvalProtocol(steps, Math.max(1, steps / 2), seeds, 10, 200, 3,
                cfg.objective().lambda());
        Evaluation.Result r = new Evaluation(cfg, base, data, protocol, 7, DataType.FLOAT)
                .run(methods, null, () -> false);
        return new CurveTable(r.points(), Map.of());
    }

    /** @param args config, rule, arch, steps, seeds (defaults: small random 48x3,32 20 2) */
    public static void main(String[] args) {
        CurveTable t = run(args.length > 0 ? args[0] : "small", args.length > 1 ? args[1] : "random",
                args.length > 2 ? args[2] : "48x3,32", args.length > 3 ? Integer.parseInt(args[3]) : 20,
                args.length > 4 ? Integer.parseInt(args[4]) : 2);
        for (String method : t.methods()) {
            for (CurveTable.Row row : t.rows(method)) {
                System.out.printf(Locale.ROOT, "%-10s step %4d  ridge %.3f ± %.3f%n", method, row.step(),
                        row.values().get(CurvePoint.Metric.RIDGE_ACCURACY).mean(),
                        row.values().get(CurvePoint.Metric.RIDGE_ACCURACY).se());
            }
        }
    }
}
