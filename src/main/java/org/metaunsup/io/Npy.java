package org.metaunsup.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.metaunsup.BadInputException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads and writes NumPy {@code .npy} files (format version 1.0, C order, little endian), the
 * interchange format of traces (docs/METHOD.md#canonical-names). Writing is atomic.
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=]?)([a-z])(\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    /**
     * Writes an array as float64.
     *
     * @param file target file (replaced atomically)
     * @param array any numeric array
     * @throws IOException on write failure
     */
    public static void writeDouble(Path file, INDArray array) throws IOException {
        AtomicFiles.write(file, encodeDouble(array));
    }

    /**
     * Writes an array in its own type when NumPy has it (float32, float64, int32, int64), else as
     * float64, so that features stay float32 and labels integers.
     *
     * @param file target file (replaced atomically)
     * @param array any numeric array
     * @throws IOException on write failure
     */
    public static void write(Path file, INDArray array) throws IOException {
        AtomicFiles.write(file, encode(array));
    }

    /**
     * @param array any numeric array
     * @return the bytes of its float64 {@code .npy} file
     */
    public static byte[] encodeDouble(INDArray array) {
        return encode(array.castTo(DataType.DOUBLE));
    }

    /**
     * @param array any numeric array
     * @return the bytes of its {@code .npy} file in its own type (float32, float64, int32, int64),
     *     other types as float64
     */
    public static byte[] encode(INDArray array) {
        DataType type = switch (array.dataType()) {
            case FLOAT, DOUBLE, INT, LONG -> array.dataType();
            default -> DataType.DOUBLE;
        };
        String descr = switch (type) {
            case FLOAT -> "<f4";
            case INT -> "<i4";
            case LONG -> "<i8";
            default -> "<f8";
        };
        int width = type == DataType.FLOAT || type == DataType.INT ? 4 : 8;
        long[] shape = array.shape();
        StringBuilder dims = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            dims.append(shape[i]).append(shape.length == 1 ? "," : (i + 1 < shape.length ? ", " : ""));
        }
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims + "), }";
        int unpadded = MAGIC.length + 4 + dict.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        INDArray c = array.castTo(type).dup('c');
        long n = c.length();
        ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(MAGIC.length + 4 + header.length() + width * n))
                .order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        buf.put(header.getBytes(StandardCharsets.US_ASCII));
        switch (type) {
            case FLOAT -> {
                for (float f : c.data().asFloat()) {
                    buf.putFloat(f);
                }
            }
            case INT -> {
                for (int i : c.data().asInt()) {
                    buf.putInt(i);
                }
            }
            case LONG -> {
                for (long l : c.data().asLong()) {
                    buf.putLong(l);
                }
            }
            default -> {
                for (double d : c.data().asDouble()) {
                    buf.putDouble(d);
                }
            }
        }
        return buf.array();
    }

    /**
     * Reads a float or integer {@code .npy} file.
     *
     * @param file the file
     * @param dtype type of the returned array
     * @return the array (a scalar file gives a rank-0 array)
     */
    public static INDArray read(Path file, DataType dtype) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new BadInputException("cannot read " + file + ": " + IoMessages.reason(e));
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (byte m : MAGIC) {
            if (buf.remaining() == 0 || buf.get() != m) {
                throw new BadInputException(file + ": not a .npy file (bad magic)");
            }
        }
        if (buf.remaining() < 2) {
            throw new BadInputException(file + ": truncated .npy header");
        }
        int major = buf.get();
        buf.get();
        if (buf.remaining() < 3 || (major != 1 && buf.remaining() < 5)) {
            throw new BadInputException(file + ": truncated .npy header");
        }
        int headerLen = major == 1 ? Short.toUnsignedInt(buf.getShort()) : buf.getInt();
        if (headerLen < 0 || headerLen > buf.remaining()) {
            throw new BadInputException(file + ": truncated .npy header");
        }
        byte[] hb = new byte[headerLen];
        buf.get(hb);
        String header = new String(hb, StandardCharsets.US_ASCII);
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) {
            throw new BadInputException(file + ": unreadable .npy header: " + header.trim());
        }
        boolean fortran = f.group(1).equals("True");
        if (d.group(1).equals(">")) {
            throw new BadInputException(file + ": big-endian .npy files are not supported");
        }
        List<Long> shape = new ArrayList<>();
        long count = 1;
        for (String part : s.group(1).split(",")) {
            if (!part.isBlank()) {
                long v;
                try {
                    v = Long.parseLong(part.trim());
                } catch (NumberFormatException e) {
                    throw new BadInputException(file + ": bad shape in .npy header: (" + s.group(1) + ")");
                }
                if (v < 0 || (v > 0 && count > Integer.MAX_VALUE / v)) {
                    throw new BadInputException(file + ": shape (" + s.group(1) + ") is negative or too large");
                }
                shape.add(v);
                count *= v;
            }
        }
        char kind = d.group(2).charAt(0);
        int size = Integer.parseInt(d.group(3));
        if (!Set.of("f8", "f4", "i8", "i4", "u1").contains(kind + Integer.toString(size))) {
            throw new BadInputException(file + ": unsupported dtype " + d.group(0) + " (float64 expected)");
        }
        if (buf.remaining() != count * size) {
            throw new BadInputException(file + ": expected " + count * size + " data bytes, found " + buf.remaining());
        }
        double[] out = new double[(int) count];
        for (int i = 0; i < count; i++) {
            out[i] = switch (kind + Integer.toString(size)) {
                case "f8" -> buf.getDouble();
                case "f4" -> buf.getFloat();
                case "i8" -> buf.getLong();
                case "i4" -> buf.getInt();
                case "u1" -> Byte.toUnsignedInt(buf.get());
                default -> throw new BadInputException(file + ": unsupported dtype " + d.group(0));
            };
        }
        long[] dims = shape.stream().mapToLong(Long::longValue).toArray();
        if (dims.length == 0) {
            return Nd4j.scalar(DataType.DOUBLE, out[0]).castTo(dtype);
        }
        INDArray arr = Nd4j.create(out, dims, fortran ? 'f' : 'c');
        return arr.castTo(dtype).dup('c');
    }
}
