package org.metaunsup.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.metaunsup.BadInputException;

/**
 * The shipped glyph corpus ({@code data/glyphs/}): letters of many writing systems rendered from
 * Debian font faces at 28x28, one class per character of a script, one image per face, split by
 * <em>script</em> into train and validation (written by {@code data render-glyphs}). The
 * alphabet's training faces join the train split as the script "Latin" (26 more classes, appended
 * after the rendered ones), so Latin is never a validation script and the alphabet's test faces
 * stay the test. Checksums come from {@code data/glyphs/MD5SUMS}.
 *
 * <p>Labels are stored as IDX {@code [count, 2]} unsigned bytes, one 16-bit big-endian label per
 * item, because IDX ubyte labels stop at 255. {@code classes.csv} names every class (split,
 * label, script, code point, character, Unicode name, image range, faces) and is checked against
 * the labels on load.
 *
 * <pre>{@code
 * DataSplits g = Datasets.load("glyphs14");
 * Dataset train = g.train();          // train scripts + Latin (the alphabet's train faces)
 * Dataset validation = g.test();      // the validation scripts, used only to choose between θs
 * List<String> scripts = Glyphs.classScripts("validation");   // script of each label
 * }</pre>
 */
public final class Glyphs {

    /** The two stored splits, in file order. */
    public static final List<String> SPLITS = List.of("train", "validation");

    /** Script name under which the alphabet joins the corpus. */
    public static final String LATIN = "Latin";

    private Glyphs() {}

    /** @return file name of the images of a split ("train" or "validation") */
    public static String imagesFile(String split) {
        return "glyphs-" + split + "-images-idx3-ubyte";
    }

    /** @return file name of the labels of a split ("train" or "validation") */
    public static String labelsFile(String split) {
        return "glyphs-" + split + "-labels-idx2-ubyte";
    }

    /**
     * One row of {@code classes.csv}.
     *
     * @param split "train" or "validation"
     * @param label label within the split
     * @param script script name, e.g. "Devanagari"
     * @param codepoint e.g. "U+0915"
     * @param character the character itself
     * @param first index of its first image in the split
     * @param count images (faces) of the class
     */
    public record ClassInfo(String split, int label, String script, String codepoint, String character,
            int first, int count) {}

    /**
     * Loads both splits at 28x28, verifying MD5SUMS and that {@code classes.csv} agrees with the
     * labels; appends the alphabet's train split to train as the script Latin.
     *
     * @return train (train scripts and Latin) and, as the test part, the validation scripts
     * @throws BadInputException on any missing or bad file
     */
    public static DataSplits load() {
        Path sums = DataLocator.find("glyphs/MD5SUMS");
        Map<String, String> md5 = Alphabet.readSums(sums);
        List<ClassInfo> rows = readClasses(DataLocator.find("glyphs/classes.csv"));
        List<DataSplits.FileCheck> files = new ArrayList<>();
        Dataset[] parts = new Dataset[2];
        for (int s = 0; s < 2; s++) {
            String split = SPLITS.get(s);
            Path img = DataLocator.find("glyphs/" + imagesFile(split) + ".gz");
            Path lab = DataLocator.find("glyphs/" + labelsFile(split) + ".gz");
            String im = md5.get(imagesFile(split));
            String lm = md5.get(labelsFile(split));
            if (im == null || lm == null) {
                throw new BadInputException(sums + ": no checksum listed for the " + split + " files");
            }
            IdxArray labels = IdxReader.read(lab, "labels", 2, 2, lm);
            IdxArray images = IdxReader.read(img, "images", 3, 3, im);
            if (labels.dims()[1] != 2) {
                throw new BadInputException(lab + ": expected [count, 2] (16-bit labels), got "
                        + labels.shapeText());
            }
            if (labels.count() != images.count()) {
                throw new BadInputException(lab + ": has " + labels.count() + " labels but "
                        + img + " has " + images.count() + " images");
            }
            List<ClassInfo> mine = rows.stream().filter(r -> r.split().equals(split)).toList();
            int n = images.count();
            int[] y = new int[n];
            byte[] b = labels.data();
            for (int i = 0; i < n; i++) {
                y[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
            }
            List<String> names = new ArrayList<>();
            int at = 0;
            for (int c = 0; c < mine.size(); c++) {
                ClassInfo r = mine.get(c);
                if (r.label() != c || r.first() != at || at + r.count() > n) {
                    throw new BadInputException(DataLocator.find("glyphs/classes.csv")
                            + ": row " + split + " " + r.label() + " does not match the labels file");
                }
                for (int i = at; i < at + r.count(); i++) {
                    if (y[i] != c) {
                        throw new BadInputException(lab + ": item " + i + " has label " + y[i]
                                + " but classes.csv puts it in class " + c);
                    }
                }
                at += r.count();
                names.add(r.script() + " " + r.character() + " " + r.codepoint());
            }
            if (at != n) {
                throw new BadInputException(DataLocator.find("glyphs/classes.csv")
                        + ": lists " + at + " " + split + " images but " + img + " has " + n);
            }
            byte[] pix = images.data();
            int classes = mine.size();
            if (s == 0) {
                // Latin: the alphabet's train faces, labels after the rendered classes.
                DataSplits a = Datasets.load("alphabet");
                Dataset at0 = a.train();
                int m = at0.count();
                byte[] all = new byte[(n + m) * 784];
                System.arraycopy(pix, 0, all, 0, pix.length);
                float[] tmp = new float[784];
                for (int i = 0; i < m; i++) {
                    at0.copyImage(i, tmp, 0);
                    for (int k = 0; k < 784; k++) {
                        all[(n + i) * 784 + k] = (byte) Math.round(tmp[k] * 255f);
                    }
                }
                int[] yy = Arrays.copyOf(y, n + m);
                for (int i = 0; i < m; i++) {
                    yy[n + i] = classes + at0.label(i);
                }
                for (String l : Alphabet.LETTERS) {
                    names.add(LATIN + " " + l + " U+00" + Integer.toHexString(l.charAt(0)).toUpperCase());
                }
                pix = all;
                y = yy;
                n += m;
                classes += 26;
                files.addAll(a.files());
            }
            parts[s] = ArrayDataset.ofBytes("glyphs/" + split, n, 1, 28, 28, pix, y, classes, List.copyOf(names));
            files.add(new DataSplits.FileCheck(img.toString(), im, "verified (MD5SUMS)"));
            files.add(new DataSplits.FileCheck(lab.toString(), lm, "verified (MD5SUMS)"));
        }
        return new DataSplits("glyphs", parts[0], parts[1], List.copyOf(files));
    }

    /**
     * The script of every label of a split as loaded by {@link #load()} (train ends with the 26
     * Latin classes).
     *
     * @param split "train" or "validation"
     * @return script name per label
     */
    public static List<String> classScripts(String split) {
        List<String> out = new ArrayList<>();
        for (ClassInfo r : readClasses(DataLocator.find("glyphs/classes.csv"))) {
            if (r.split().equals(split)) {
                out.add(r.script());
            }
        }
        if (split.equals("train")) {
            for (int i = 0; i < 26; i++) {
                out.add(LATIN);
            }
        }
        return List.copyOf(out);
    }

    /**
     * Classes per script of a split, in the order scripts first appear.
     *
     * @param split "train" or "validation"
     * @return script name to number of classes
     */
    public static Map<String, Integer> scriptCounts(String split) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (String s : classScripts(split)) {
            m.merge(s, 1, Integer::sum);
        }
        return m;
    }

    /**
     * Reads {@code classes.csv}.
     *
     * @param file the file
     * @return its rows in file order
     */
    public static List<ClassInfo> readClasses(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        List<ClassInfo> out = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            List<String> f = csv(lines.get(i));
            try {
                out.add(new ClassInfo(f.get(0), Integer.parseInt(f.get(1)), f.get(2), f.get(3), f.get(4),
                        Integer.parseInt(f.get(6)), Integer.parseInt(f.get(7))));
            } catch (RuntimeException e) {
                throw new BadInputException(file + ": line " + (i + 1) + " is malformed");
            }
        }
        return out;
    }

    /** Splits one CSV line (quotes as the generator writes them). */
    private static List<String> csv(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    b.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    b.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(b.toString());
                b.setLength(0);
            } else {
                b.append(c);
            }
        }
        out.add(b.toString());
        return out;
    }
}
