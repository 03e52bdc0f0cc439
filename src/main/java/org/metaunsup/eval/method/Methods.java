package org.metaunsup.eval.method;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.metaunsup.BadInputException;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.eval.FeatureMethod;
import org.metaunsup.eval.RuleSource;

/**
 * The method ids of the command line and the methods they make: {@code rule} (the rule given by
 * {@code --rule}), {@code rule-init} (the meta-initialised rule), {@code none}, {@code raw},
 * {@code pca}, {@code vae}, {@code beta-vae}, {@code supervised}.
 */
public final class Methods {

    /** Every id, in display order; {@code --compare} runs all of them. */
    public static final List<String> ALL = List.of("rule", "rule-init", "none", "raw", "pca", "vae",
            "beta-vae", "supervised");

    private Methods() {}

    /**
     * @param ids requested ids (duplicates and aliases collapse)
     * @param rule the resolved {@code --rule}
     * @param cfg config (rule widths)
     * @param topWidth architecture top width
     * @param runSeed run seed
     * @return the methods, in display order, one per distinct method
     * @throws BadInputException for an unknown id
     */
    public static List<FeatureMethod> create(List<String> ids, RuleSource.Loaded rule, ExperimentConfig cfg,
                                             int topWidth, long runSeed) {
        Map<String, FeatureMethod> out = new LinkedHashMap<>();
        for (String id : ALL) {
            if (!ids.contains(id)) {
                continue;
            }
            switch (id) {
                case "rule" -> {
                    if (rule.isNone()) {
                        out.putIfAbsent("none", new NoRuleMethod());
                    } else if (rule.isRandom()) {
                        out.putIfAbsent("rule-init", new RuleMethod("rule-init",
                                "rule at meta-initialisation (random theta)", rule.theta(), rule.topUnits()));
                    } else {
                        out.put("rule", new RuleMethod("rule", "learned rule (" + rule.spec() + ")", rule.theta(),
                                rule.topUnits()));
                    }
                }
                case "rule-init" -> out.putIfAbsent("rule-init", new RuleMethod("rule-init",
                        "rule at meta-initialisation (random theta)", rule.isRandom() ? rule.theta()
                        : RuleSource.random(cfg, topWidth, runSeed), topWidth));
                case "none" -> out.putIfAbsent("none", new NoRuleMethod());
                case "raw" -> out.put("raw", new RawPixelsMethod());
                case "pca" -> out.put("pca", new PcaMethod());
                case "vae" -> out.put("vae", new VaeMethod(1.0));
                case "beta-vae" -> out.put("beta-vae", new VaeMethod(VaeMethod.DEFAULT_BETA));
                case "supervised" -> out.put("supervised", new SupervisedMethod());
                default -> throw new IllegalStateException(id);
            }
        }
        for (String id : ids) {
            if (!ALL.contains(id)) {
                throw new BadInputException("unknown method '" + id + "' (known: " + String.join(", ", ALL) + ")");
            }
        }
        // Display order follows ALL, with "rule" first when present.
        List<FeatureMethod> list = new ArrayList<>();
        for (String id : ALL) {
            if (out.containsKey(id)) {
                list.add(out.get(id));
            }
        }
        return list;
    }
}
