package org.metaunsup.config;

import java.util.Locale;

/**
 * Where meta-training starts θ (config key {@code outer.init}): {@link #META}, the random
 * meta-initialisation of docs/METHOD.md#theta-init, or {@link #HEBBIAN}, the same draw with the
 * update mix set so that the rule is the hand-designed Hebbian/decorrelation learner of
 * docs/METHOD.md#hand-init ({@code rule.HebbianTheta}).
 */
public enum ThetaInit {
    /** The meta-initialisation (docs/METHOD.md#theta-init). */
    META,
    /** The hand-designed learner (docs/METHOD.md#hand-init). */
    HEBBIAN;

    /** @return the config value, e.g. {@code meta} */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param text a config value
     * @return the init, or null when the text names none
     */
    public static ThetaInit parseOrNull(String text) {
        for (ThetaInit i : values()) {
            if (i.key().equals(text)) {
                return i;
            }
        }
        return null;
    }
}
