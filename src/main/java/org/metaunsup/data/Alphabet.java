package org.metaunsup.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.metaunsup.BadInputException;

/**
 * The shipped rendered alphabet ({@code data/alphabet/}): capital letters A-Z (labels
 * 0..25) rendered from Debian font faces and Hershey stroke fonts at 28x28, split into
 * train and test by font family. Checksums come from {@code data/alphabet/MD5SUMS},
 * written by the generator ({@code data render-alphabet}).
 */
public final class Alphabet {

    /** Class names A..Z. */
    public static final List<String> LETTERS;

    static {
        List<String> l = new ArrayList<>();
        for (char c = 'A'; c <= 'Z'; c++) {
            l.add(String.valueOf(c));
        }
        LETTERS = List.copyOf(l);
    }

    /** File name of the images of a split ("train" or "test"). */
    public static String imagesFile(String split) {
        return "alphabet-" + split + "-images-idx3-ubyte";
    }

    /** File name of the labels of a split ("train" or "test"). */
    public static String labelsFile(String split) {
        return "alphabet-" + split + "-labels-idx1-ubyte";
    }

    private Alphabet() {}

    /**
     * Loads both splits at 28x28, verifying the MD5SUMS written by the generator.
     *
     * @return both splits
     */
    public static DataSplits load() {
        Path sums = DataLocator.find("alphabet/MD5SUMS");
        Map<String, String> md5 = readSums(sums);
        List<DataSplits.FileCheck> files = new ArrayList<>();
        Dataset[] parts = new Dataset[2];
        String[] splits = {"train", "test"};
        for (int s = 0; s < 2; s++) {
            Path img = DataLocator.find("alphabet/" + imagesFile(splits[s]) + ".gz");
            Path lab = DataLocator.find("alphabet/" + labelsFile(splits[s]) + ".gz");
            String im = md5.get(imagesFile(splits[s]));
            String lm = md5.get(labelsFile(splits[s]));
            if (im == null || lm == null) {
                throw new BadInputException(sums + ": no checksum listed for the " + splits[s] + " files");
            }
            parts[s] = IdxDatasetLoader.load(new IdxDatasetLoader.Request("alphabet/" + splits[s],
                    img, lab, 26, im, lm, LETTERS));
            files.add(new DataSplits.FileCheck(img.toString(), im, "verified (MD5SUMS)"));
            files.add(new DataSplits.FileCheck(lab.toString(), lm, "verified (MD5SUMS)"));
        }
        return new DataSplits("alphabet", parts[0], parts[1], List.copyOf(files));
    }

    /** Parses md5sum output lines: {@code <hex>  <name>}. */
    static Map<String, String> readSums(Path sums) {
        Map<String, String> m = new HashMap<>();
        try {
            for (String line : Files.readAllLines(sums, StandardCharsets.UTF_8)) {
                String[] f = line.trim().split("\\s+\\*?", 2);
                if (f.length == 2 && f[0].matches("[0-9a-fA-F]{32}")) {
                    m.put(f[1].trim(), f[0].toLowerCase());
                }
            }
        } catch (IOException e) {
            throw new BadInputException(sums + ": cannot read (" + e.getMessage() + ")", e);
        }
        return m;
    }
}
