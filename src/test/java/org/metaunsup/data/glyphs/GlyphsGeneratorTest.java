package org.metaunsup.data.glyphs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metaunsup.data.Glyphs;
import org.metaunsup.data.alphabet.GlyphRaster;

/** The generator on a handful of Noto faces: same fonts, same bytes; only letters; centred by mass. */
class GlyphsGeneratorTest {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    static final Path NOTO = Path.of("/usr/share/fonts/truetype/noto");

    @TempDir
    Path dir;

    @Test
    void candidatesAreLettersNeverNumbersNorLatin() {
        assertFalse(GlyphsGenerator.isCandidate('A'), "Latin is the alphabet's");
        assertFalse(GlyphsGenerator.isCandidate(0x0966), "Devanagari digit zero");
        assertFalse(GlyphsGenerator.isCandidate(0x0BF0), "Tamil number ten (No)");
        assertFalse(GlyphsGenerator.isCandidate(0x03AC), "Greek alpha with tonos: precomposed");
        assertFalse(GlyphsGenerator.isCandidate(0xFE8D), "Arabic presentation form");
        assertTrue(GlyphsGenerator.isCandidate(0x0915), "Devanagari ka");
        assertTrue(GlyphsGenerator.isCandidate(0x05D0), "Hebrew alef");
        assertEquals("Canadian Aboriginal", GlyphsGenerator.scriptName(0x1401));
    }

    @Test
    void sameFontsGiveTheSameBytes() throws IOException {
        List<String> files = List.of("NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSansArmenian-Regular.ttf",
                "NotoSansArmenian-Bold.ttf", "NotoSansGeorgian-Regular.ttf", "NotoSansGeorgian-Bold.ttf");
        assumeTrue(files.stream().allMatch(f -> Files.isRegularFile(NOTO.resolve(f))), "needs fonts-noto-core");
        Path fonts = dir.resolve("fonts");
        Files.createDirectories(fonts);
        for (String f : files) {
            Files.createSymbolicLink(fonts.resolve(f), NOTO.resolve(f));
        }
        GlyphsConfig cfg = new GlyphsConfig(List.of(fonts), Set.of(), 2, 2, 8, 1, 1);
        GlyphsGenerator.Result a = new GlyphsGenerator(cfg, s -> { }).generate(dir.resolve("a"));
        new GlyphsGenerator(cfg, s -> { }).generate(dir.resolve("b"));
        assertEquals(Files.readString(dir.resolve("a/MD5SUMS")), Files.readString(dir.resolve("b/MD5SUMS")));
        assertEquals(1, a.validationScripts().size());
        assertTrue(a.trainClasses() > 0 && a.validationClasses() > 0, a.toString());
        for (Glyphs.ClassInfo r : Glyphs.readClasses(dir.resolve("a/classes.csv"))) {
            assertTrue(GlyphsGenerator.isCandidate(Integer.parseInt(r.codepoint().substring(2), 16)), r.toString());
            assertEquals(2, r.count());
        }
        // Cyrillic/Greek capitals drawn exactly as Latin ones are left out as homoglyphs.
        assertTrue(Files.readString(dir.resolve("a/rejected.csv")).contains("U+0410,Cyrillic,looks like a Latin capital"));
    }

    @Test
    void glyphsAreCentredByMass() {
        byte[] g = GlyphRaster.fillCentredByMass(
                new Rectangle2D.Double(0, 0, 10, 5));
        double m = 0;
        double mx = 0;
        double my = 0;
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                int v = g[y * 28 + x] & 0xff;
                m += v;
                mx += v * (x + 0.5);
                my += v * (y + 0.5);
            }
        }
        assertEquals(14.0, mx / m, 0.05);
        assertEquals(14.0, my / m, 0.05);
    }
}
