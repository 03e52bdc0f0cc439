package org.metaunsup.config;

import java.util.Locale;

/**
 * How a worker turns one truncation into a meta-gradient ({@code outer.estimator},
 * docs/TRAINING.md#estimators).
 */
public enum Estimator {
    /** Backpropagation through the k inner steps of the truncation (φ at its start held fixed). */
    BACKPROP,
    /** Antithetic evolution strategies on θ per truncation, forward passes only. */
    ES,
    /** Persistent evolution strategies (Vicol, Metz, Sohl-Dickstein 2021), forward passes only. */
    PES;

    /**
     * @param text {@code backprop}, {@code es} or {@code pes}
     * @return the estimator, or null for any other text
     */
    public static Estimator parseOrNull(String text) {
        for (Estimator e : values()) {
            if (e.key().equals(text)) {
                return e;
            }
        }
        return null;
    }

    /** @return the name in config files */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return whether the estimator runs forward only (perturbations of θ, no gradient function) */
    public boolean forward() {
        return this != BACKPROP;
    }
}
