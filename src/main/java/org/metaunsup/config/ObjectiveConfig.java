package org.metaunsup.config;

/**
 * The few-shot ridge-regression meta-objective (docs/METHOD.md#meta-objective).
 *
 * @param classes N-way
 * @param supportPerClass labelled support examples per class
 * @param queryPerClass labelled query examples per class
 * @param lambda ridge penalty λ
 */
public record ObjectiveConfig(int classes, int supportPerClass, int queryPerClass, double lambda) {

    public ObjectiveConfig {
        if (classes < 2 || supportPerClass < 1 || queryPerClass < 1 || !(lambda > 0)) {
            throw new IllegalArgumentException("objective needs >= 2 classes, >= 1 example per class and lambda > 0");
        }
    }

    /** @return support rows */
    public int supportSize() {
        return classes * supportPerClass;
    }

    /** @return query rows */
    public int querySize() {
        return classes * queryPerClass;
    }
}
