package org.metaunsup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metaunsup.data.IdxWriter;

/**
 * Every malformed IDX input gives exit code 2 and one line {@code error: <file>: <problem>}
 * on stderr through {@code data describe}, with no stack trace.
 */
class DataDescribeValidationTest {

    @TempDir
    Path dir;

    /** 5 images of 4x4 and labels 0..2. */
    private Path images(String name) throws IOException {
        byte[] px = new byte[5 * 16];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 3);
        }
        return write(name, IdxWriter.encode(new int[] {5, 4, 4}, px));
    }

    private Path labels(String name, byte... y) throws IOException {
        return write(name, IdxWriter.encode(new int[] {y.length}, y));
    }

    private Path write(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }

    private static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(o)) {
            g.write(b);
        }
        return o.toByteArray();
    }

    /** Runs describe and checks the one-line error contract; returns the message. */
    private static String expectError(String spec, Path file, String phrase) {
        CliRunner.Result r = CliRunner.run("data", "describe", "--dataset", spec);
        assertEquals(2, r.code(), () -> "exit code; stderr=" + r.err());
        String err = r.err().strip();
        assertFalse(err.contains("\n"), () -> "more than one line: " + err);
        assertTrue(err.startsWith("error: "), err);
        assertTrue(err.contains(file.toString()), () -> "names the file: " + err);
        assertTrue(err.contains(phrase), () -> "says '" + phrase + "': " + err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), () -> "stack trace: " + err);
        assertEquals("", r.out(), "nothing half-printed on stdout");
        return err;
    }

    @Test
    void validPairIsDescribedWithCountsAndBalance() throws IOException {
        Path img = images("ok-images");
        Path lab = write("ok-labels.gz", gzip(IdxWriter.encode(new int[] {5}, new byte[] {0, 1, 2, 1, 1})));
        CliRunner.Result r = CliRunner.run("data", "describe", "--dataset", "idx:" + img + "," + lab);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("5 images, shape 1x4x4 (D=16), 3 classes"), r.out());
        assertTrue(r.out().contains("counts: 0=1 1=3 2=1"), r.out());
        // Pixel values are i*3 for i in 0..79, so max = 237/255.
        assertTrue(r.out().contains(String.format("max %.4f", 237 / 255.0)), r.out());
    }

    @Test
    void unlabelledImagesAreAccepted() throws IOException {
        Path img = write("u.gz", gzip(Files.readAllBytes(images("u-raw"))));
        CliRunner.Result r = CliRunner.run("data", "describe", "--dataset", "idx:" + img, "--size", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("5 images, shape 1x2x2 (D=4), unlabelled"), r.out());
    }

    @Test
    void missingFile() {
        Path p = dir.resolve("nope-images.gz");
        expectError("idx:" + p, p, "not found");
    }

    @Test
    void badMagic() throws IOException {
        byte[] b = Files.readAllBytes(images("x"));
        b[0] = 0x12;
        Path p = write("bad-magic", b);
        expectError("idx:" + p, p, "bad magic number 0x12000803");
    }

    @Test
    void unsupportedDataType() throws IOException {
        byte[] b = Files.readAllBytes(images("x"));
        b[2] = 0x0D;
        Path p = write("floats", b);
        expectError("idx:" + p, p, "data type 0x0D (float) is not supported");
    }

    @Test
    void wrongDimensionCount() throws IOException {
        Path p = write("two-dims", IdxWriter.encode(new int[] {5, 16}, new byte[80]));
        expectError("idx:" + p, p, "images file has 2 dimensions, expected 3 to 4");
        Path img = images("img");
        Path lab = write("lab-3d", IdxWriter.encode(new int[] {5, 1, 1}, new byte[5]));
        expectError("idx:" + img + "," + lab, lab, "labels file has 3 dimensions, expected 1");
    }

    @Test
    void truncated() throws IOException {
        byte[] b = Files.readAllBytes(images("x"));
        Path p = write("short", Arrays.copyOf(b, b.length - 7));
        expectError("idx:" + p, p, "truncated: the header declares 5 items (80 data bytes) but only 73 bytes follow");
    }

    @Test
    void oversized() throws IOException {
        byte[] b = Files.readAllBytes(images("x"));
        Path p = write("long.gz", gzip(Arrays.copyOf(b, b.length + 9)));
        expectError("idx:" + p, p, "oversized: 9 extra bytes");
    }

    @Test
    void countMismatch() throws IOException {
        Path img = images("img");
        Path lab = labels("lab4", (byte) 0, (byte) 1, (byte) 0, (byte) 1);
        expectError("idx:" + img + "," + lab, lab, "has 4 labels but " + img + " has 5 images");
    }

    @Test
    void labelOutOfRange() throws IOException {
        Path img = images("img");
        Path lab = labels("lab", (byte) 0, (byte) 1, (byte) 12, (byte) 1, (byte) 0);
        expectError("idx:" + img + "," + lab + ",classes=10", lab,
                "label 12 of item 2 is out of range (classes are 0..9)");
    }

    @Test
    void corruptGzip() throws IOException {
        byte[] gz = gzip(Files.readAllBytes(images("x")));
        byte[] bad = gz.clone();
        for (int i = 12; i < 30; i++) {
            bad[i] = (byte) 0xA5;
        }
        Path p = write("corrupt.gz", bad);
        expectError("idx:" + p, p, "corrupt or truncated gzip data");
        Path cut = write("cut.gz", Arrays.copyOf(gz, gz.length / 2));
        expectError("idx:" + cut, cut, "corrupt or truncated gzip data");
    }

    @Test
    void unknownDatasetNameIsUsageError() {
        CliRunner.Result r = CliRunner.run("data", "describe", "--dataset", "cifar");
        assertEquals(2, r.code());
        assertTrue(r.err().strip().startsWith("error: unknown dataset 'cifar'"), r.err());
    }
}
