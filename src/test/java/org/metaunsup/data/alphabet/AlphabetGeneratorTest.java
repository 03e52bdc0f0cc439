package org.metaunsup.data.alphabet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hershey parsing, glyph rasterising and deterministic output of the generator. */
class AlphabetGeneratorTest {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    @TempDir
    Path dir;

    /** A two-glyph .jhf: space, then "!" = a vertical bar and a dot, wrapped over two lines. */
    @Test
    void parsesJhfIncludingPenUpAndWrappedLines() throws IOException {
        String space = "12345  1JZ\n";
        // 6 pairs: MW (margins), RF, RT, " R" (pen up), RY, RZ, with a line break inside.
        String bang = "12346  6MWRFRT R\nRYRZ\n";
        Path f = dir.resolve("t.jhf");
        Files.writeString(f, space + bang);
        HersheyFont font = HersheyFont.read(f);
        assertTrue(!font.has(' '), "space has no strokes");
        assertTrue(font.has('!'));
        Rectangle2D b = font.path('!', 0, null).getBounds2D();
        // x = 'R'-'R' = 0; y from 'F'-'R' = -12 to 'Z'-'R' = 8.
        assertEquals(0, b.getX(), 0);
        assertEquals(-12, b.getY(), 0);
        assertEquals(20, b.getHeight(), 0);
    }

    @Test
    void glyphIsFittedIntoTheTwentyPixelBoxAndCentred() {
        byte[] g = GlyphRaster.fill(new Rectangle2D.Double(0, 0, 10, 5));
        assertNotNull(g);
        int minX = 99;
        int maxX = -1;
        int minY = 99;
        int maxY = -1;
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                if ((g[y * 28 + x] & 0xff) > 127) {
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                }
            }
        }
        assertEquals(4, minX);
        assertEquals(23, maxX); // 20 pixels wide: 4..23
        assertEquals(9, minY);
        assertEquals(18, maxY); // 10 pixels high, centred
    }

    @Test
    void sameFontsGiveTheSameBytes() throws IOException {
        Path dejavu = Path.of("/usr/share/fonts/truetype/dejavu");
        Path hershey = AlphabetConfig.DEFAULT_HERSHEY_DIR;
        assumeTrue(Files.isDirectory(dejavu) && Files.isDirectory(hershey), "needs fonts-dejavu and hershey-fonts-data");
        AlphabetConfig cfg = new AlphabetConfig(List.of(dejavu), hershey, Set.of(), Set.of(), 2, 12, 4, 20);
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        AlphabetGenerator.Result ra = new AlphabetGenerator(cfg, s -> { }).generate(a);
        new AlphabetGenerator(cfg, s -> { }).generate(b);
        for (String f : List.of("MD5SUMS", "faces.csv", "alphabet-train-images-idx3-ubyte.gz",
                "alphabet-test-labels-idx1-ubyte.gz")) {
            assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f);
        }
        assertTrue(ra.trainFaces() + ra.testFaces() >= 10, "faces: " + ra);
        assertEquals(0, (ra.trainImages() + ra.testImages()) % 26);
        assertTrue(ra.facesPerPackage().containsKey("hershey-fonts-data"), ra.facesPerPackage().toString());
    }

    @Test
    void splitIsAStableFunctionOfTheFamily() {
        AlphabetConfig cfg = new AlphabetConfig(List.of(), null, Set.of(), Set.of(), 1, 12, 4, 20);
        AlphabetGenerator g = new AlphabetGenerator(cfg, s -> { });
        int test = 0;
        for (int i = 0; i < 1000; i++) {
            test += g.splitOf("Family " + i);
        }
        assertTrue(test > 150 && test < 250, "about 20% of families in test: " + test);
        assertEquals(g.splitOf("DejaVu Sans"), g.splitOf("dejavu sans"));
    }

    @Test
    void jitterIsSeeded() throws IOException {
        Path f = dir.resolve("z.jhf");
        Files.writeString(f, "12345  1JZ\n12346  4MWRFRTRZ\n");
        HersheyFont font = HersheyFont.read(f);
        Rectangle2D a = font.path('!', 0.5, new SplittableRandom(1)).getBounds2D();
        Rectangle2D b = font.path('!', 0.5, new SplittableRandom(1)).getBounds2D();
        Rectangle2D c = font.path('!', 0.5, new SplittableRandom(2)).getBounds2D();
        assertEquals(a, b);
        assertTrue(!a.equals(c));
    }
}
