package org.metaunsup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The glyph corpus on the command line: describe, samples, and render-glyphs' one-line failures. */
class GlyphCommandsTest {

    @TempDir
    Path dir;

    @Test
    void describeGlyphsPrintsScriptsFacesAndTheSplit() {
        CliRunner.Result r = CliRunner.run("data", "describe", "--dataset", "glyphs14");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("shape 1x14x14 (D=196)"), r.out());
        assertTrue(r.out().contains("validation: "), r.out());
        assertTrue(r.out().contains("  4 scripts (classes, faces per class):"), r.out());
        assertTrue(r.out().contains("Latin 26 (641)"), r.out());
        assertTrue(r.out().contains("test: the alphabet's test faces"), r.out());
        assertTrue(r.out().contains("glyphs-validation-images-idx3-ubyte.gz"), r.out());
        assertFalse(r.out().contains("counts:"), "no per-class list for a thousand classes");
    }

    @Test
    void evaluateRefusesTheGlyphsDisjointSplitsInOneLine() {
        Path out = dir.resolve("eval");
        CliRunner.Result r = CliRunner.run("evaluate", "--dataset", "glyphs14", "--config", "tiny", "--rule", "random",
                "--steps", "1", "--every", "1", "--seeds", "1", "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("hold different classes"), r.err());
        assertFalse(Files.exists(out.resolve("curves.csv")), "nothing half-written");
    }

    @Test
    void samplesDrawARowPerScript() throws IOException {
        Path png = dir.resolve("g.png");
        CliRunner.Result r = CliRunner.run("data", "samples", "--dataset", "glyphs", "--out", png.toString());
        assertEquals(0, r.code(), r.err());
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(26 * (56 + 2) + 2, img.getWidth());
        assertTrue(img.getHeight() > 20 * 80, "a row per script: height " + img.getHeight());
    }

    @Test
    void renderGlyphsRefusesAnExistingFolder() throws IOException {
        Path out = dir.resolve("old");
        Files.createDirectories(out);
        Files.writeString(out.resolve("MD5SUMS"), "");
        CliRunner.Result r = CliRunner.run("data", "render-glyphs", "--out", out.toString());
        assertEquals(2, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("exists; render into a new folder"), r.err());
    }

    @Test
    void renderGlyphsNamesAMissingPackageAndWritesNothing() throws IOException {
        Path list = dir.resolve("pkgs.txt");
        Files.writeString(list, "# test\nfonts-noto-core\nfonts-no-such-package-xyz\n");
        Path out = dir.resolve("new");
        CliRunner.Result r = CliRunner.run("data", "render-glyphs", "--out", out.toString(), "--packages", list.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("font package fonts-no-such-package-xyz is not installed"), r.err());
        assertFalse(Files.exists(out), "nothing half-written");
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temp folder left beside it");
        }
    }

    @Test
    void aFontThatWillNotLoadIsOneLine() throws IOException {
        Path fonts = dir.resolve("fonts");
        Files.createDirectories(fonts);
        Files.writeString(fonts.resolve("broken.ttf"), "not a font");
        Path out = dir.resolve("out");
        CliRunner.Result r = CliRunner.run("data", "render-glyphs", "--out", out.toString(), "--font-dir", fonts.toString());
        assertEquals(2, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("broken.ttf: font will not load"), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void renderGlyphsRejectsBadBounds() {
        CliRunner.Result r = CliRunner.run("data", "render-glyphs", "--out", dir.resolve("x").toString(),
                "--min-faces", "30", "--max-faces", "20");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--min-faces"), r.err());
    }
}
