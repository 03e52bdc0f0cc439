package org.metaunsup.config;

import java.util.Map;

/**
 * Everything a run needs to know, resolved from a config file (docs/METHOD.md#configs), by concern: what
 * the graphs compute ({@link GraphConfig}), how meta-training draws tasks
 * ({@link TaskDistributionConfig}) and the outer optimiser ({@link OuterConfig}). Immutable;
 * per-run values (seeds, θ, φ) live elsewhere. The file keys are declared once, in
 * {@link ConfigKeys}.
 *
 * @param name config name (e.g. {@code small}) or file name
 * @param graph base model, rule widths, objective, inner batch, η
 * @param task the task distribution of meta-training
 * @param outer the outer optimiser and its intervals
 */
public record ExperimentConfig(String name, GraphConfig graph, TaskDistributionConfig task, OuterConfig outer) {

    /** @return the default base model ({@code graph().base()}) */
    public BaseModelConfig base() {
        return graph.base();
    }

    /** @return the rule widths ({@code graph().rule()}) */
    public RuleConfig rule() {
        return graph.rule();
    }

    /** @return the meta-objective ({@code graph().objective()}) */
    public ObjectiveConfig objective() {
        return graph.objective();
    }

    /** @return unlabelled examples per inner step ({@code graph().innerBatch()}) */
    public int innerBatch() {
        return graph.innerBatch();
    }

    /** @return the inner step size η ({@code graph().eta()}) */
    public double eta() {
        return graph.eta();
    }

    /** @return the resolved config as ordered key/value pairs, in the file format */
    public Map<String, String> toProperties() {
        return ConfigKeys.toProperties(this);
    }

    /**
     * @param inputWidth n_0 of the data at hand
     * @return this config, or a copy whose base model takes inputs of that width
     */
    public ExperimentConfig withInputWidth(int inputWidth) {
        if (inputWidth == base().inputWidth()) {
            return this;
        }
        int[] w = base().widths();
        w[0] = inputWidth;
        return withBase(new BaseModelConfig(w, base().activation()));
    }

    /**
     * @param newBase another base model
     * @return a copy with that base model (same rule, objective, task distribution and outer loop)
     */
    public ExperimentConfig withBase(BaseModelConfig newBase) {
        return new ExperimentConfig(name, graph.withBase(newBase), task, outer);
    }
}
