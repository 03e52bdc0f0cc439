package org.metaunsup.config;

import java.util.Locale;
import org.metaunsup.BadInputException;

/** Nonlinearity of the base model. The rule never differentiates it, so any shape works. */
public enum Activation {
    RELU, LEAKY_RELU, SWISH, TANH, STEP;

    /**
     * Parses a config value such as {@code relu} or {@code leaky_relu}.
     *
     * @param text the config value
     * @return the activation
     */
    public static Activation parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadInputException("unknown activation '" + text
                    + "' (expected relu, leaky_relu, swish, tanh or step)");
        }
    }
}
