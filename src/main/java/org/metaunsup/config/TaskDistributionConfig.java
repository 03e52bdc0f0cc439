package org.metaunsup.config;

import java.util.List;

/**
 * How meta-training draws its tasks (docs/METHOD.md#tasks): the base architecture's ranges, the total
 * inner length T of a task and the truncation length k. Evaluation and traces ignore it.
 *
 * @param hiddenLayers sampled number of hidden layers
 * @param hiddenWidth sampled hidden width
 * @param innerSteps total inner length T of a task (log-uniform)
 * @param truncation inner steps k of one truncation (log-uniform)
 * @param augmentation whether the task sampler distorts every image it draws ({@code alphabet}: the
 *     sampler's alphabet distortions, applied to every dataset of the mix; {@code none})
 * @param datasets the datasets tasks are drawn from and their weights ({@code task.datasets})
 */
public record TaskDistributionConfig(IntRange hiddenLayers, IntRange hiddenWidth, IntRange innerSteps,
                                     IntRange truncation, String augmentation, DatasetMix datasets) {

    /** The values {@code task.augmentation} accepts. */
    public static final List<String> AUGMENTATIONS = List.of("none", "alphabet");
}
