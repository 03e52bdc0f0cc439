package org.metaunsup.config;

import java.util.Arrays;

/**
 * Shape of the base MLP f(x; φ): input width, hidden widths and the top (representation)
 * width, plus its activation.
 *
 * @param widths layer widths n_0 (input) … n_L (top), at least two entries
 * @param activation nonlinearity after every layer, the top one too
 */
public record BaseModelConfig(int[] widths, Activation activation) {

    public BaseModelConfig {
        if (widths.length < 2) {
            throw new IllegalArgumentException("a base model needs an input and a top width");
        }
        for (int w : widths) {
            if (w < 1) {
                throw new IllegalArgumentException("layer widths must be positive: " + Arrays.toString(widths));
            }
        }
        widths = widths.clone();
    }

    /** @return number of weight layers L */
    public int depth() {
        return widths.length - 1;
    }

    /** @return input width n_0 */
    public int inputWidth() {
        return widths[0];
    }

    /** @return top width n_L (the representation) */
    public int topWidth() {
        return widths[widths.length - 1];
    }

    /**
     * @param l layer index 0..L
     * @return width n_l
     */
    public int width(int l) {
        return widths[l];
    }

    @Override
    public int[] widths() {
        return widths.clone();
    }

    /** @return e.g. {@code 196-64-64-32} */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < widths.length; i++) {
            sb.append(i == 0 ? "" : "-").append(widths[i]);
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BaseModelConfig b && Arrays.equals(widths, b.widths) && activation == b.activation;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(widths) + activation.hashCode();
    }

    @Override
    public String toString() {
        return "BaseModelConfig[" + describe() + ", " + activation + "]";
    }
}
