package org.metaunsup.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything a run needs to know, resolved from a config file (DESIGN.md §6). Immutable;
 * per-run values (seeds, θ, φ) live elsewhere.
 *
 * @param name config name (e.g. {@code small}) or file name
 * @param base base model shape used for benchmarks, traces and evaluation
 * @param rule widths of the learned rule
 * @param objective the meta-objective
 * @param innerBatch unlabelled examples per inner step
 * @param eta fixed inner step size η
 * @param taskHiddenLayers meta-training: sampled number of hidden layers
 * @param taskHiddenWidth meta-training: sampled hidden width
 * @param taskInnerSteps meta-training: total inner length T (log-uniform)
 * @param taskTruncation meta-training: truncation length k (log-uniform)
 * @param outerLr Adam learning rate of the outer loop
 * @param outerClipNorm global-norm clip of the meta-gradient
 * @param outerBatch meta-gradients averaged per outer step
 */
public record ExperimentConfig(
        String name,
        BaseModelConfig base,
        RuleConfig rule,
        ObjectiveConfig objective,
        int innerBatch,
        double eta,
        IntRange taskHiddenLayers,
        IntRange taskHiddenWidth,
        IntRange taskInnerSteps,
        IntRange taskTruncation,
        double outerLr,
        double outerClipNorm,
        int outerBatch) {

    /** @return the resolved config as ordered key/value pairs, in the file format */
    public Map<String, String> toProperties() {
        Map<String, String> m = new LinkedHashMap<>();
        int[] w = base.widths();
        m.put("base.input", Integer.toString(w[0]));
        StringBuilder hidden = new StringBuilder();
        for (int i = 1; i < w.length - 1; i++) {
            hidden.append(i == 1 ? "" : ",").append(w[i]);
        }
        m.put("base.hidden", hidden.toString());
        m.put("base.top", Integer.toString(w[w.length - 1]));
        m.put("base.activation", base.activation().name().toLowerCase(java.util.Locale.ROOT));
        m.put("inner.batch", Integer.toString(innerBatch));
        m.put("inner.eta", Double.toString(eta));
        m.put("rule.hidden", Integer.toString(rule.hidden()));
        m.put("rule.delta", Integer.toString(rule.delta()));
        m.put("rule.top_width", Integer.toString(rule.topWidth()));
        m.put("rule.grad_channels", Integer.toString(rule.gradChannels()));
        m.put("rule.top_kernel", Integer.toString(rule.topKernel()));
        m.put("rule.kernel", Integer.toString(rule.kernel()));
        m.put("rule.v_shares_w", Boolean.toString(rule.vSharesW()));
        m.put("objective.classes", Integer.toString(objective.classes()));
        m.put("objective.support_per_class", Integer.toString(objective.supportPerClass()));
        m.put("objective.query_per_class", Integer.toString(objective.queryPerClass()));
        m.put("objective.lambda", Double.toString(objective.lambda()));
        m.put("task.hidden_layers", taskHiddenLayers.toString());
        m.put("task.hidden_width", taskHiddenWidth.toString());
        m.put("task.inner_steps", taskInnerSteps.toString());
        m.put("task.truncation", taskTruncation.toString());
        m.put("outer.lr", Double.toString(outerLr));
        m.put("outer.clip_norm", Double.toString(outerClipNorm));
        m.put("outer.batch", Integer.toString(outerBatch));
        return m;
    }

    /**
     * @param inputWidth n_0 of the data at hand
     * @return this config, or a copy whose base model takes inputs of that width
     */
    public ExperimentConfig withInputWidth(int inputWidth) {
        if (inputWidth == base.inputWidth()) {
            return this;
        }
        int[] w = base.widths();
        w[0] = inputWidth;
        return withBase(new BaseModelConfig(w, base.activation()));
    }

    /** @return a copy with another base model (same rule, objective and schedule) */
    public ExperimentConfig withBase(BaseModelConfig newBase) {
        return new ExperimentConfig(name, newBase, rule, objective, innerBatch, eta, taskHiddenLayers,
                taskHiddenWidth, taskInnerSteps, taskTruncation, outerLr, outerClipNorm, outerBatch);
    }
}
