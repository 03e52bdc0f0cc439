package org.metaunsup.data.alphabet;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Settings of the alphabet generator.
 *
 * @param fontDirs folders searched (recursively) for .ttf/.otf/.ttc/.pfb/.t1 font files
 * @param hersheyDir folder of the Hershey .jhf files (hershey-fonts-data), or {@code null} to skip
 * @param packages only font files owned by these Debian packages are used (empty = any),
 *     so extra fonts on a machine do not change the output
 * @param scriptPackages packages known to hold Latin handwriting or script faces, which
 *     pass the Latin check with {@code minScriptScore} (as do the Hershey fonts)
 * @param hersheyVariants jittered renderings of each Hershey face
 * @param minLatinScore fewest letters (of 26) of a face that must be recognised by the
 *     nearest reference template for the face to count as Latin
 * @param minScriptScore the lower bound used for script packages and Hershey fonts
 * @param testPercent share of font families (by hash of the family name) put in the test split
 */
public record AlphabetConfig(List<Path> fontDirs, Path hersheyDir, Set<String> packages,
        Set<String> scriptPackages, int hersheyVariants, int minLatinScore, int minScriptScore,
        int testPercent) {

    /** Default font folders of a Debian system. */
    public static final List<Path> DEFAULT_FONT_DIRS = List.of(Path.of("/usr/share/fonts"),
            Path.of("/usr/share/texmf/fonts"), Path.of("/usr/share/texlive/texmf-dist/fonts"));

    /** Default folder of hershey-fonts-data. */
    public static final Path DEFAULT_HERSHEY_DIR = Path.of("/usr/share/hershey-fonts");

    /** Copies the collections so the record stays immutable. */
    public AlphabetConfig {
        fontDirs = List.copyOf(fontDirs);
        packages = Set.copyOf(packages);
        scriptPackages = Set.copyOf(scriptPackages);
        if (hersheyVariants < 1 || minLatinScore < 0 || minLatinScore > 26 || minScriptScore < 0 || testPercent < 0 || testPercent > 100) {
            throw new IllegalArgumentException("bad alphabet generator settings");
        }
    }
}
