package org.metaunsup.data.alphabet;

/**
 * One face of the rendered alphabet as listed in {@code faces.csv}.
 *
 * @param name face name, e.g. "DejaVu Sans Bold" or "Hershey rowmans"
 * @param family family name; the train/test split is decided per family
 * @param kind "font" (outline face) or "hershey" (stroke font, jittered variants)
 * @param file the font file it came from
 * @param pkg the Debian package that installed the file
 * @param licence licence declared in the package's copyright file
 * @param fileSha256 SHA-256 of the font file
 * @param latinScore letters (of 26) recognised by the nearest reference template
 * @param glyphs rendered images, 26 per variant, each 28*28 bytes, letters A..Z per variant
 * @param variants number of renderings of the 26 letters (1 for outline faces)
 */
record Face(String name, String family, String kind, String file, String pkg, String licence,
        String fileSha256, int latinScore, byte[] glyphs, int variants) {}
