package org.metaunsup.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.metaunsup.io.AtomicFiles;

/**
 * Writes unsigned-byte IDX files, gzip-compressed, atomically ({@link AtomicFiles}).
 * Output is deterministic: the JDK's gzip header carries no name and a zero timestamp.
 */
public final class IdxWriter {
    private IdxWriter() {}

    /**
     * @param dims dimensions, first = item count
     * @param data the data bytes (product of dims)
     * @return the whole uncompressed IDX file (header + data)
     */
    public static byte[] encode(int[] dims, byte[] data) {
        long n = 1;
        for (int d : dims) {
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("data length " + data.length + " != " + n);
        }
        byte[] out = new byte[4 + 4 * dims.length + data.length];
        out[2] = (byte) IdxReader.TYPE_UBYTE;
        out[3] = (byte) dims.length;
        for (int i = 0; i < dims.length; i++) {
            int p = 4 + 4 * i;
            out[p] = (byte) (dims[i] >>> 24);
            out[p + 1] = (byte) (dims[i] >>> 16);
            out[p + 2] = (byte) (dims[i] >>> 8);
            out[p + 3] = (byte) dims[i];
        }
        System.arraycopy(data, 0, out, 4 + 4 * dims.length, data.length);
        return out;
    }

    /**
     * Writes an encoded IDX file gzip-compressed.
     *
     * @param file destination (replaced atomically)
     * @param idx the uncompressed file content from {@link #encode}
     * @throws IOException on write failure
     */
    public static void writeGzip(Path file, byte[] idx) throws IOException {
        AtomicFiles.write(file, out -> {
            GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16);
            gz.write(idx);
            gz.finish();
        });
    }

    /**
     * Writes a text file atomically.
     *
     * @param file destination
     * @param text content (UTF-8)
     * @throws IOException on write failure
     */
    public static void writeText(Path file, String text) throws IOException {
        AtomicFiles.writeString(file, text);
    }
}
