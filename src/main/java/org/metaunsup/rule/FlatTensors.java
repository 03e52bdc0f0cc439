package org.metaunsup.rule;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.metaunsup.BadInputException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The flat layout shared by {@link Theta} and {@link ThetaGradient}: one rank-1 buffer of
 * {@link ThetaSpec#size()} entries, tensors in canonical order, each row-major in its
 * canonical shape, and named views into it; plus the byte form both ship in.
 *
 * <p>Bytes: a 4-byte kind tag ({@code THTA} or {@code GRAD}), format version (int), the spec's
 * {@link ThetaSpec#fingerprint()} (long), the array type's name (short length + ASCII), the
 * entry count (long), then every entry as a big-endian float64 (exact for float32 and float64
 * buffers alike).
 */
final class FlatTensors {

    private static final int VERSION = 1;

    private FlatTensors() {}

    /**
     * @param spec the layout
     * @param flat a rank-1 buffer of the spec's size
     * @return one live view per tensor, canonical names in spec order
     */
    static Map<String, INDArray> views(ThetaSpec spec, INDArray flat) {
        checkFlat(spec, flat);
        Map<String, INDArray> v = new LinkedHashMap<>();
        for (ThetaSpec.Tensor t : spec.tensors()) {
            long off = spec.offset(t.name());
            // enforceView: a silent copy here would cut the name off from the buffer.
            v.put(t.name(), flat.get(NDArrayIndex.interval(off, off + t.length())).reshape('c', true, t.shape()));
        }
        return Collections.unmodifiableMap(v);
    }

    static void checkFlat(ThetaSpec spec, INDArray flat) {
        if (flat.rank() != 1 || flat.length() != spec.size()) {
            throw new IllegalArgumentException("a flat theta buffer must be rank 1 with " + spec.size()
                    + " entries, got shape " + Arrays.toString(flat.shape()));
        }
        if (!flat.dataType().isFPType()) {
            throw new IllegalArgumentException("a flat theta buffer must be floating point, got " + flat.dataType());
        }
    }

    /**
     * @param spec the layout
     * @param values one array per tensor of the spec, canonical shapes
     * @param dtype type of the new buffer
     * @param what what is being built, for messages
     * @return a new flat buffer holding copies of the values
     */
    static INDArray flatten(ThetaSpec spec, Map<String, INDArray> values, DataType dtype, String what) {
        INDArray flat = Nd4j.create(dtype, spec.size());
        Map<String, INDArray> views = views(spec, flat);
        for (ThetaSpec.Tensor t : spec.tensors()) {
            INDArray v = values.get(t.name());
            if (v == null) {
                throw new IllegalArgumentException(what + " tensor missing: " + t.name());
            }
            if (!Arrays.equals(v.shape(), t.shape())) {
                throw new IllegalArgumentException(what + " tensor " + t.name() + " has shape "
                        + Arrays.toString(v.shape()) + ", expected " + Arrays.toString(t.shape()));
            }
            views.get(t.name()).assign(v.dataType() == dtype ? v : v.castTo(dtype));
        }
        return flat;
    }

    static double[] toDoubles(INDArray flat) {
        return flat.castTo(DataType.DOUBLE).dup().data().asDouble();
    }

    static INDArray fromDoubles(ThetaSpec spec, double[] values, DataType dtype) {
        if (values.length != spec.size()) {
            throw new IllegalArgumentException("expected " + spec.size() + " theta entries, got " + values.length);
        }
        return Nd4j.createFromArray(values.clone()).castTo(dtype);
    }

    static byte[] encode(String kind, ThetaSpec spec, INDArray flat) {
        double[] d = toDoubles(flat);
        byte[] type = flat.dataType().name().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(4 + 4 + 8 + 2 + type.length + 8 + 8 * d.length);
        b.put(kind.getBytes(StandardCharsets.US_ASCII)).putInt(VERSION).putLong(spec.fingerprint());
        b.putShort((short) type.length).put(type).putLong(d.length);
        b.asDoubleBuffer().put(d);
        return b.array();
    }

    /**
     * @throws BadInputException when the bytes are not of this kind, are truncated, or belong to
     *     another spec
     */
    static INDArray decode(String kind, ThetaSpec spec, byte[] bytes) {
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            byte[] tag = new byte[4];
            b.get(tag);
            if (!kind.equals(new String(tag, StandardCharsets.US_ASCII))) {
                throw new BadInputException("not " + kind + " bytes (tag '" + new String(tag, StandardCharsets.US_ASCII)
                        + "')");
            }
            int version = b.getInt();
            if (version != VERSION) {
                throw new BadInputException(kind + " bytes of format version " + version + ", this build reads "
                        + VERSION);
            }
            if (b.getLong() != spec.fingerprint()) {
                throw new BadInputException(kind + " bytes were written for another theta spec than " + spec.describe());
            }
            byte[] type = new byte[b.getShort()];
            b.get(type);
            DataType dtype = DataType.valueOf(new String(type, StandardCharsets.US_ASCII));
            long n = b.getLong();
            if (n != spec.size() || b.remaining() != 8 * n) {
                throw new BadInputException(kind + " bytes hold " + n + " entries in " + b.remaining()
                        + " bytes, the spec has " + spec.size());
            }
            double[] d = new double[(int) n];
            b.asDoubleBuffer().get(d);
            return fromDoubles(spec, d, dtype);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new BadInputException(kind + " bytes are truncated or malformed: " + e.getMessage(), e);
        }
    }
}
