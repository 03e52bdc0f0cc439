package org.metaunsup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metaunsup.data.DataLocator;

/** Smoke runs of the data commands on the shipped data, asserting on what they print and write. */
class DataCommandsTest {

    @TempDir
    Path dir;

    @Test
    void describeMnist14() {
        CliRunner.Result r = CliRunner.run("data", "describe", "--dataset", "mnist14");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("train: 60000 images, shape 1x14x14 (D=196), 10 classes"), r.out());
        assertTrue(r.out().contains("test: 10000 images, shape 1x14x14 (D=196), 10 classes"), r.out());
        assertTrue(r.out().contains("verified (canonical MD5)"), r.out());
        assertTrue(r.out().contains("mean 0.1307"), r.out());
    }

    @Test
    void describeAlphabetWithSizeOption() {
        CliRunner.Result r = CliRunner.run("data", "describe", "--dataset", "alphabet", "--size", "14");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("shape 1x14x14 (D=196), 26 classes"), r.out());
        assertTrue(r.out().contains("verified (MD5SUMS)"), r.out());
        assertTrue(r.out().contains("counts: A="), r.out());
    }

    @Test
    void describeStackedMnist() {
        CliRunner.Result r = CliRunner.run("data", "describe", "--dataset", "stacked-mnist");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("train: 60000 images, shape 3x28x28 (D=2352), 1000 classes"), r.out());
    }

    @Test
    void samplesWritesAPng() throws IOException {
        Path png = dir.resolve("s/samples.png");
        CliRunner.Result r = CliRunner.run("data", "samples", "--out", png.toString(), "--seed", "3");
        assertEquals(0, r.code(), r.err());
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(26 * (56 + 2) + 2, img.getWidth());
        assertTrue(img.getHeight() > 500, "height " + img.getHeight());
    }

    @Test
    void missingDataFolderIsOneClearLine() {
        String old = System.getProperty(DataLocator.PROPERTY);
        System.setProperty(DataLocator.PROPERTY, dir.resolve("empty").toString());
        try {
            CliRunner.Result r = CliRunner.run("data", "describe", "--dataset", "mnist");
            assertEquals(2, r.code());
            String err = r.err().strip();
            assertFalse(err.contains("\n"), err);
            assertTrue(err.startsWith("error: data file mnist/train-images-idx3-ubyte.gz not found"), err);
            assertTrue(err.contains("METAUNSUP_DATA"), err);
        } finally {
            if (old == null) {
                System.clearProperty(DataLocator.PROPERTY);
            } else {
                System.setProperty(DataLocator.PROPERTY, old);
            }
        }
    }
}
