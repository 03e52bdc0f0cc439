package org.metaunsup.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metaunsup.BadInputException;
import org.metaunsup.data.alphabet.AlphabetGenerator;
import org.metaunsup.data.glyphs.GlyphsGenerator;

/** Invariants of the shipped glyph corpus: counts, no digits, split by script, no duplicate faces, checksums. */
class GlyphsCorpusTest {

    @TempDir
    Path dir;

    @Test
    void atLeastAThousandClassesOfTwentyScriptsWithTwentyFacesEach() {
        DataSplits g = Datasets.load("glyphs");
        List<Glyphs.ClassInfo> rows = Glyphs.readClasses(DataLocator.find("glyphs/classes.csv"));
        int classes = g.train().numClasses() + g.test().numClasses();
        assertEquals(rows.size() + 26, classes, "rendered classes + 26 Latin");
        assertTrue(classes >= 1000, classes + " classes");
        Set<String> scripts = new HashSet<>(Glyphs.classScripts("train"));
        scripts.addAll(Glyphs.classScripts("validation"));
        assertTrue(scripts.size() >= 20, scripts.size() + " scripts: " + scripts);
        for (Dataset d : List.of(g.train(), g.test())) {
            for (int c : d.classCounts()) {
                assertTrue(c >= 20, d.name() + ": a class with " + c + " faces");
            }
        }
        assertEquals(26, Glyphs.scriptCounts("train").get(Glyphs.LATIN), "the alphabet joins as Latin");
    }

    @Test
    void noDigitOrNumberAndOnlyBaseLettersOfRenderedScripts() {
        for (Glyphs.ClassInfo r : Glyphs.readClasses(DataLocator.find("glyphs/classes.csv"))) {
            int cp = Integer.parseInt(r.codepoint().substring(2), 16);
            int type = Character.getType(cp);
            assertFalse(type == Character.DECIMAL_DIGIT_NUMBER || type == Character.OTHER_NUMBER
                    || type == Character.LETTER_NUMBER, r + " is a number");
            assertTrue(Character.isLetter(cp), r + " is not a letter");
            assertTrue(GlyphsGenerator.isCandidate(cp), r + " is not a candidate");
            assertEquals(GlyphsGenerator.scriptName(cp), r.script(), r.toString());
            assertFalse(r.script().equals(Glyphs.LATIN), "Latin comes from the alphabet only");
        }
    }

    @Test
    void splitIsByWholeScriptsWithAtLeastFourValidationScripts() {
        Set<String> train = new HashSet<>(Glyphs.classScripts("train"));
        Set<String> validation = new HashSet<>(Glyphs.classScripts("validation"));
        assertTrue(validation.size() >= 4, "validation scripts " + validation);
        for (String s : validation) {
            assertFalse(train.contains(s), s + " is in both splits");
        }
        assertTrue(train.contains(Glyphs.LATIN));
        // The validation scripts are those the hash puts first among the rendered scripts.
        List<String> rendered = Stream.concat(train.stream(), validation.stream())
                .filter(s -> !s.equals(Glyphs.LATIN)).sorted(Comparator.comparingLong(
                        GlyphsGenerator::splitHash)).toList();
        assertEquals(validation, new HashSet<>(rendered.subList(0, validation.size())));
    }

    @Test
    void noTwoFacesOfAClassAreNearDuplicates() {
        DataSplits g = Datasets.load("glyphs14");
        for (Dataset d : List.of(g.train(), g.test())) {
            int latinFrom = d == g.train() ? d.numClasses() - 26 : d.numClasses();
            for (int c = 0; c < latinFrom; c++) {
                int[] idx = d.indicesOfClass(c);
                float[][] im = new float[idx.length][];
                for (int i = 0; i < idx.length; i++) {
                    im[i] = d.image(idx[i]);
                }
                for (int i = 0; i < im.length; i++) {
                    for (int j = 0; j < i; j++) {
                        double s = 0;
                        for (int k = 0; k < im[i].length; k++) {
                            s += Math.abs(im[i][k] - im[j][k]);
                        }
                        assertTrue(s / im[i].length >= AlphabetGenerator.DUPLICATE_MAD - 1e-6,
                                d.className(c) + ": faces " + i + " and " + j + " are near-duplicates");
                    }
                }
            }
        }
    }

    @Test
    void manifestNamesPackageLicenceAndFontChecksumOfEveryFace() throws IOException {
        List<String> lines = Files.readAllLines(DataLocator.find("glyphs/faces.csv"));
        assertTrue(lines.get(0).startsWith("id,face,family,package,licence,file,file_sha256,images"));
        for (String l : lines.subList(1, lines.size())) {
            assertTrue(l.matches(".*,fonts-noto-(core|extra),.*,[0-9a-f]{64},\\d+$"), l);
        }
    }

    @Test
    void aCorruptFileIsABadChecksum() throws IOException {
        Path data = dir.resolve("data");
        Path src = DataLocator.find("glyphs/MD5SUMS").getParent().getParent();
        for (String sub : List.of("alphabet", "glyphs")) {
            Files.createDirectories(data.resolve(sub));
            try (Stream<Path> s = Files.list(src.resolve(sub))) {
                for (Path p : s.toList()) {
                    Files.copy(p, data.resolve(sub).resolve(p.getFileName()));
                }
            }
        }
        // Flip one pixel of the validation images (re-gzipped, so only the checksum can tell).
        Path img = data.resolve("glyphs/" + Glyphs.imagesFile("validation") + ".gz");
        byte[] raw;
        try (var in = new GZIPInputStream(Files.newInputStream(img))) {
            raw = in.readAllBytes();
        }
        raw[raw.length / 2] ^= 1;
        try (var out = new GZIPOutputStream(Files.newOutputStream(img))) {
            out.write(raw);
        }
        String old = System.getProperty(DataLocator.PROPERTY);
        System.setProperty(DataLocator.PROPERTY, data.toString());
        try {
            BadInputException e = assertThrows(BadInputException.class, () -> Datasets.load("glyphs"));
            assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
            assertTrue(e.getMessage().contains(Glyphs.imagesFile("validation")), e.getMessage());
        } finally {
            if (old == null) {
                System.clearProperty(DataLocator.PROPERTY);
            } else {
                System.setProperty(DataLocator.PROPERTY, old);
            }
        }
    }

    @Test
    void classesFileAgreesWithLabels() {
        Map<String, Integer> counts = Glyphs.scriptCounts("validation");
        int sum = counts.values().stream().mapToInt(Integer::intValue).sum();
        assertEquals(Datasets.load("glyphs").test().numClasses(), sum);
    }
}
