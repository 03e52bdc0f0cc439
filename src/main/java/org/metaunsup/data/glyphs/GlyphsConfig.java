package org.metaunsup.data.glyphs;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Settings of the glyph corpus generator ({@code data render-glyphs}).
 *
 * @param fontDirs folders searched (recursively) for .ttf/.otf/.ttc font files
 * @param packages only font files owned by these Debian packages are used (empty = any), so
 *     other fonts on a machine do not change the output
 * @param minFaces fewest distinct faces a class must have to be kept
 * @param maxFaces most faces kept per class (keeps the committed files small)
 * @param maxClassesPerScript most classes kept per script (chosen by a hash of the code point)
 * @param minClassesPerScript a script with fewer usable classes is left out
 * @param validationScripts number of whole scripts (chosen by a hash of the script name) put in
 *     the validation split
 */
public record GlyphsConfig(List<Path> fontDirs, Set<String> packages, int minFaces, int maxFaces,
        int maxClassesPerScript, int minClassesPerScript, int validationScripts) {

    /** Default font folders of a Debian system. */
    public static final List<Path> DEFAULT_FONT_DIRS = List.of(Path.of("/usr/share/fonts"));

    /** Copies the collections so the record stays immutable; checks the bounds. */
    public GlyphsConfig {
        fontDirs = List.copyOf(fontDirs);
        packages = Set.copyOf(packages);
        if (minFaces < 2 || maxFaces < minFaces || maxFaces > 255 || maxClassesPerScript < 1
                || minClassesPerScript < 1 || validationScripts < 1) {
            throw new IllegalArgumentException("bad glyph generator settings");
        }
    }
}
