package org.metaunsup.config;

/**
 * Everything that fixes what a truncation graph computes (docs/METHOD.md#base-model to
 * #meta-objective): the default base
 * model, the rule widths, the meta-objective, the inner batch and the inner step size η. Graphs
 * of the {@code unroll} package depend on this and on nothing else of the config.
 *
 * @param base base model shape used for benchmarks, traces and evaluation
 * @param rule widths of the learned rule
 * @param objective the meta-objective
 * @param innerBatch unlabelled examples per inner step
 * @param eta fixed inner step size η
 */
public record GraphConfig(BaseModelConfig base, RuleConfig rule, ObjectiveConfig objective, int innerBatch,
                          double eta) {

    /**
     * @param newBase another base model
     * @return a copy with that base model (same rule, objective, batch and η)
     */
    public GraphConfig withBase(BaseModelConfig newBase) {
        return new GraphConfig(newBase, rule, objective, innerBatch, eta);
    }
}
