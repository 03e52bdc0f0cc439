package org.metaunsup.eval;

import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.util.Seeds;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * What a {@link FeatureMethod} gets for one seed.
 *
 * @param config rule widths, inner batch and η (the rule's settings)
 * @param arch base architecture (its input width is the data's D)
 * @param seed evaluation seed; base init is {@link #initSeed()}, shared by every method that
 *     uses the base MLP, so the rule, "no rule" and supervised start from the same φ₀
 * @param unlabelled the seed's unlabelled stream (permuted)
 * @param labelled the seed's labelled sets (only the supervised baseline reads its training labels)
 * @param perm the seed's input permutation
 * @param dtype floating type
 */
public record MethodContext(ExperimentConfig config, BaseModelConfig arch, long seed, UnlabelledStream unlabelled,
                            EvalData.Labelled labelled, int[] perm, DataType dtype) {

    /** @return the base model's init seed of this evaluation seed */
    public long initSeed() {
        return Seeds.derive(seed, "phi-init");
    }
}
