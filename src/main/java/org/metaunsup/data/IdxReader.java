package org.metaunsup.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.metaunsup.BadInputException;

/**
 * Reads and validates IDX files (the MNIST container format), raw or gzip-compressed.
 *
 * <p>Layout: two zero bytes, a data-type byte (only {@code 0x08}, unsigned byte, is
 * supported), a dimension-count byte, one big-endian 32-bit size per dimension, then the
 * data. Gzip is detected from the magic bytes {@code 1f 8b}, not from the file name.
 * Every problem (missing file, corrupt gzip, bad magic, unsupported type, wrong number of
 * dimensions, zero or huge sizes, truncated or oversized data, checksum mismatch) is
 * reported as a one-line {@link BadInputException} naming the file; nothing is returned
 * half-read.
 */
public final class IdxReader {

    /** IDX data-type code of unsigned bytes. */
    public static final int TYPE_UBYTE = 0x08;

    /** Largest data payload accepted (a Java array bound, with some headroom). */
    private static final long MAX_BYTES = Integer.MAX_VALUE - 64L;

    private IdxReader() {}

    /**
     * Reads and validates one IDX file.
     *
     * @param file the file, raw or gzip-compressed
     * @param role what the file is for, used in messages (e.g. "images", "labels")
     * @param minDims smallest accepted number of dimensions
     * @param maxDims largest accepted number of dimensions
     * @param expectedMd5 MD5 (hex) of the uncompressed file, or {@code null} if unknown
     * @return the validated content
     * @throws BadInputException naming the file and the problem
     */
    public static IdxArray read(Path file, String role, int minDims, int maxDims, String expectedMd5) {
        if (!Files.exists(file)) {
            throw new BadInputException(file + ": " + role + " file not found");
        }
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(file + ": " + role + " path is not a regular file");
        }
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            boolean gzip = b0 == 0x1f && b1 == 0x8b;
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw;
            try (DigestInputStream din = new DigestInputStream(in, md5)) {
                IdxArray arr = parse(din, file, role, minDims, maxDims, gzip);
                String got = Checksums.hex(md5.digest());
                if (expectedMd5 != null && !expectedMd5.equalsIgnoreCase(got)) {
                    throw new BadInputException(file + ": checksum mismatch: MD5 of the "
                            + "uncompressed " + role + " is " + got + ", expected " + expectedMd5
                            + " (damaged or different file)");
                }
                return new IdxArray(file, arr.dims(), arr.data(), got);
            }
        } catch (ZipException | EOFException e) {
            throw new BadInputException(file + ": corrupt or truncated gzip data (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read " + role + " file (" + e + ")", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 unavailable", e);
        }
    }

    private static IdxArray parse(InputStream in, Path file, String role, int minDims, int maxDims,
            boolean gzip) throws IOException {
        byte[] head = in.readNBytes(4);
        if (head.length < 4) {
            throw new BadInputException(file + ": too short for an IDX header (" + head.length
                    + " bytes" + (gzip ? " after gunzip" : "") + ")");
        }
        if (head[0] != 0 || head[1] != 0) {
            throw new BadInputException(String.format(
                    "%s: bad magic number 0x%02X%02X%02X%02X: not an IDX file (must start with 00 00)",
                    file, head[0] & 0xff, head[1] & 0xff, head[2] & 0xff, head[3] & 0xff));
        }
        int type = head[2] & 0xff;
        if (type != TYPE_UBYTE) {
            throw new BadInputException(String.format(
                    "%s: IDX data type 0x%02X (%s) is not supported; only unsigned bytes (0x08)",
                    file, type, typeName(type)));
        }
        int nd = head[3] & 0xff;
        if (nd < minDims || nd > maxDims) {
            String want = minDims == maxDims ? Integer.toString(minDims) : minDims + " to " + maxDims;
            throw new BadInputException(file + ": " + role + " file has " + nd
                    + " dimensions, expected " + want);
        }
        byte[] dimBytes = in.readNBytes(4 * nd);
        if (dimBytes.length < 4 * nd) {
            throw new BadInputException(file + ": truncated IDX header (" + (4 + dimBytes.length)
                    + " of " + (4 + 4 * nd) + " bytes)");
        }
        int[] dims = new int[nd];
        long total = 1;
        for (int i = 0; i < nd; i++) {
            long d = ((dimBytes[4 * i] & 0xffL) << 24) | ((dimBytes[4 * i + 1] & 0xffL) << 16)
                    | ((dimBytes[4 * i + 2] & 0xffL) << 8) | (dimBytes[4 * i + 3] & 0xffL);
            if (d == 0 || d > Integer.MAX_VALUE) {
                throw new BadInputException(file + ": dimension " + i + " has invalid size " + d);
            }
            dims[i] = (int) d;
            total *= d;
            if (total > MAX_BYTES) {
                throw new BadInputException(file + ": header declares more than " + MAX_BYTES
                        + " bytes of data, too large to load");
            }
        }
        byte[] data = in.readNBytes((int) total);
        if (data.length < total) {
            throw new BadInputException(file + ": truncated: the header declares " + dims[0]
                    + " items (" + total + " data bytes) but only " + data.length + " bytes follow");
        }
        long extra = 0;
        byte[] sink = new byte[8192];
        for (int n; (n = in.read(sink)) > 0; ) {
            extra += n;
        }
        if (extra > 0) {
            throw new BadInputException(file + ": oversized: " + extra + " extra bytes after the "
                    + dims[0] + " items (" + total + " data bytes) the header declares");
        }
        return new IdxArray(file, dims, data, null);
    }

    private static String typeName(int type) {
        return switch (type) {
            case 0x08 -> "unsigned byte";
            case 0x09 -> "signed byte";
            case 0x0B -> "short";
            case 0x0C -> "int";
            case 0x0D -> "float";
            case 0x0E -> "double";
            default -> "unknown";
        };
    }
}
