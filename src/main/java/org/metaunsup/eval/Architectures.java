package org.metaunsup.eval;

import java.util.ArrayList;
import java.util.List;
import org.metaunsup.BadInputException;
import org.metaunsup.config.Activation;
import org.metaunsup.config.BaseModelConfig;

/**
 * Parses base architectures written as hidden and top widths: {@code 64x2,32} is two hidden layers
 * of 64 units and a 32-unit top layer; {@code 128,64,32} lists every width; the last item is the
 * top (representation) width.
 */
public final class Architectures {

    private Architectures() {}

    /**
     * @param text e.g. {@code 64x2,32}
     * @param inputWidth n_0 of the data
     * @param activation the base activation
     * @return the architecture
     * @throws BadInputException for malformed text
     */
    public static BaseModelConfig parse(String text, int inputWidth, Activation activation) {
        List<Integer> w = new ArrayList<>();
        w.add(inputWidth);
        for (String item : text.trim().split(",")) {
            String[] p = item.trim().split("x");
            try {
                int width = Integer.parseInt(p[0].trim());
                int times = p.length == 2 ? Integer.parseInt(p[1].trim()) : 1;
                if (p.length > 2 || width < 1 || times < 1 || times > 64) {
                    throw new NumberFormatException();
                }
                for (int i = 0; i < times; i++) {
                    w.add(width);
                }
            } catch (NumberFormatException e) {
                throw new BadInputException("--arch '" + text + "': expected widths like 64x2,32 "
                        + "(hidden layers, then the top width)");
            }
        }
        if (w.size() < 2) {
            throw new BadInputException("--arch '" + text + "': needs at least a top width");
        }
        return new BaseModelConfig(w.stream().mapToInt(Integer::intValue).toArray(), activation);
    }

    /**
     * @param arch an architecture
     * @return its text form, e.g. {@code 64x2,32}
     */
    public static String format(BaseModelConfig arch) {
        StringBuilder sb = new StringBuilder();
        int[] w = arch.widths();
        int i = 1;
        while (i < w.length) {
            int j = i;
            while (j + 1 < w.length - 1 && w[j + 1] == w[i] && i < w.length - 1) {
                j++;
            }
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(w[i]);
            if (j > i) {
                sb.append('x').append(j - i + 1);
            }
            i = j + 1;
        }
        return sb.toString();
    }
}
