package org.metaunsup.data;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.metaunsup.BadInputException;

/**
 * A parsed dataset name as given on the command line.
 *
 * <p>Grammar: {@code mnist|alphabet|glyphs|stacked-mnist} with an optional size suffix
 * ({@code mnist14}, {@code alphabet7}, {@code stacked-mnist14}; the size must divide 28),
 * or {@code idx:IMAGES[,LABELS][,classes=N]} for any IDX pair given by path.
 *
 * @param base {@code mnist}, {@code alphabet}, {@code glyphs}, {@code stacked-mnist} or {@code idx}
 * @param size image size requested, or 0 for the native size
 * @param images images path ({@code idx} only)
 * @param labels labels path ({@code idx} only, may be null)
 * @param numClasses declared class count ({@code idx} only; 0 = infer)
 */
public record DatasetSpec(String base, int size, Path images, Path labels, int numClasses) {

    private static final Pattern NAMED = Pattern.compile("(mnist|alphabet|glyphs|stacked-mnist)(\\d+)?");

    /** Names accepted besides {@code idx:}. */
    public static final String KNOWN = "mnist, mnist14, alphabet, alphabet14, glyphs, glyphs14, stacked-mnist, "
            + "stacked-mnist14, idx:IMAGES[,LABELS][,classes=N]";

    /**
     * @param text the spec text
     * @return the parsed spec
     * @throws BadInputException for an unknown name or malformed idx spec
     */
    public static DatasetSpec parse(String text) {
        String t = text == null ? "" : text.trim();
        if (t.startsWith("idx:")) {
            String[] parts = t.substring(4).split(",");
            Path images = null;
            Path labels = null;
            int classes = 0;
            for (String p : parts) {
                if (p.startsWith("classes=")) {
                    try {
                        classes = Integer.parseInt(p.substring(8));
                    } catch (NumberFormatException e) {
                        classes = -1;
                    }
                    if (classes < 1 || classes > 256) {
                        throw new BadInputException("dataset '" + text + "': classes must be 1..256");
                    }
                } else if (p.isEmpty()) {
                    continue;
                } else if (images == null) {
                    images = Paths.get(p);
                } else if (labels == null) {
                    labels = Paths.get(p);
                } else {
                    throw new BadInputException("dataset '" + text
                            + "': expected idx:IMAGES[,LABELS][,classes=N]");
                }
            }
            if (images == null) {
                throw new BadInputException("dataset '" + text + "': no images file given");
            }
            return new DatasetSpec("idx", 0, images, labels, classes);
        }
        Matcher m = NAMED.matcher(t);
        if (!m.matches()) {
            throw new BadInputException("unknown dataset '" + text + "' (known: " + KNOWN + ")");
        }
        int size = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
        if (size != 0 && (size > 28 || 28 % size != 0)) {
            throw new BadInputException("dataset '" + text + "': size " + size
                    + " must divide 28 (28, 14, 7, 4, 2, 1)");
        }
        return new DatasetSpec(m.group(1), size == 28 ? 0 : size, null, null, 0);
    }
}
