package org.metaunsup.data;

import org.metaunsup.config.ObjectiveConfig;

/**
 * How tasks are drawn from a dataset.
 *
 * @param ways number of classes per task (N; default 10 of the 26 letters)
 * @param supportPerClass labelled support examples per class (default 10)
 * @param queryPerClass labelled query examples per class (default 10), disjoint from support
 * @param permute whether each task draws a random permutation of the D input pixels
 *     (otherwise the identity)
 * @param augmentation distortions applied to every image drawn ({@link Augmentation#NONE} for none)
 */
public record TaskConfig(int ways, int supportPerClass, int queryPerClass, boolean permute,
        Augmentation augmentation) {

    /** Checks the sizes are positive. */
    public TaskConfig {
        if (ways < 1 || supportPerClass < 1 || queryPerClass < 1) {
            throw new IllegalArgumentException("ways, support and query per class must be >= 1");
        }
        if (augmentation == null) {
            augmentation = Augmentation.NONE;
        }
    }

    /** @return the paper's defaults: 10-way, 10 support and 10 query per class, permuted, no augmentation */
    public static TaskConfig defaults() {
        return new TaskConfig(10, 10, 10, true, Augmentation.NONE);
    }

    /**
     * @param a distortions to apply
     * @return a copy with that augmentation
     */
    public TaskConfig withAugmentation(Augmentation a) {
        return new TaskConfig(ways, supportPerClass, queryPerClass, permute, a);
    }

    /**
     * @param n classes per task
     * @param support support examples per class
     * @param query query examples per class
     * @return a copy with those sizes
     */
    public TaskConfig withShape(int n, int support, int query) {
        return new TaskConfig(n, support, query, permute, augmentation);
    }

    /**
     * @param objective the meta-objective whose support/query sizes the tasks must have
     * @return the default task settings with the objective's N-way and per-class sizes
     */
    public static TaskConfig forObjective(ObjectiveConfig objective) {
        return defaults().withShape(objective.classes(), objective.supportPerClass(), objective.queryPerClass());
    }

    /**
     * @param p whether to permute inputs
     * @return a copy with that setting
     */
    public TaskConfig withPermute(boolean p) {
        return new TaskConfig(ways, supportPerClass, queryPerClass, p, augmentation);
    }
}
