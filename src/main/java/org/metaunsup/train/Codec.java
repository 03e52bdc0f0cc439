package org.metaunsup.train;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.metaunsup.basemodel.PhiState;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The byte layout shared by checkpoints and Spark tasks: big-endian primitives, arrays with their
 * length first, φ as float64 values with their shapes. Float32 arrays survive a round trip through
 * float64 exactly, which is what keeps a resumed run bit-identical.
 */
final class Codec {

    /**
     * Layout version of worker states and truncations: 2 adds the PES pairs of a task and the inner
     * steps of a truncation; 1 (checkpoints written before) is still read.
     */
    static final int FORMAT = 2;

    private Codec() {}

    /** Writes with a function that may throw IOException; wraps the stream's impossible failures. */
    interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    /** Reads with a function that may throw IOException. */
    interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    static byte[] encode(Writer w) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            w.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);   // in-memory streams do not fail
        }
        return bytes.toByteArray();
    }

    static <T> T decode(byte[] bytes, Reader<T> r) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            T v = r.read(in);
            if (in.available() != 0) {
                throw new IOException(in.available() + " trailing bytes");
            }
            return v;
        } catch (IOException e) {
            throw new IllegalArgumentException("damaged state bytes: " + e.getMessage(), e);
        }
    }

    static void doubles(DataOutputStream out, double[] a) throws IOException {
        out.writeInt(a.length);
        for (double d : a) {
            out.writeDouble(d);
        }
    }

    static double[] doubles(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available() / 8) {
            throw new IOException("bad array length " + n);
        }
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = in.readDouble();
        }
        return a;
    }

    static void ints(DataOutputStream out, int[] a) throws IOException {
        out.writeInt(a.length);
        for (int d : a) {
            out.writeInt(d);
        }
    }

    static int[] ints(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available() / 4) {
            throw new IOException("bad array length " + n);
        }
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = in.readInt();
        }
        return a;
    }

    static void bytes(DataOutputStream out, byte[] a) throws IOException {
        out.writeInt(a.length);
        out.write(a);
    }

    static byte[] bytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IOException("bad block length " + n);
        }
        return in.readNBytes(n);
    }

    static void array(DataOutputStream out, INDArray a) throws IOException {
        long[] shape = a.shape();
        out.writeInt(shape.length);
        for (long s : shape) {
            out.writeLong(s);
        }
        // dup('c'): a view's buffer holds more than the view, and the layout must be row-major.
        doubles(out, a.castTo(DataType.DOUBLE).dup('c').data().asDouble());
    }

    static INDArray array(DataInputStream in, DataType dtype) throws IOException {
        int rank = in.readInt();
        if (rank < 0 || rank > 8) {
            throw new IOException("bad rank " + rank);
        }
        long[] shape = new long[rank];
        for (int i = 0; i < rank; i++) {
            shape[i] = in.readLong();
        }
        double[] v = doubles(in);
        return Nd4j.create(v, shape, DataType.DOUBLE).castTo(dtype);
    }

    static void phi(DataOutputStream out, PhiState phi) throws IOException {
        out.writeInt(phi.depth());
        for (int l = 0; l < phi.depth(); l++) {
            array(out, phi.w().get(l));
            array(out, phi.v().get(l));
            array(out, phi.b().get(l));
        }
    }

    static PhiState phi(DataInputStream in, DataType dtype) throws IOException {
        int depth = in.readInt();
        if (depth < 1 || depth > 1000) {
            throw new IOException("bad depth " + depth);
        }
        List<INDArray> w = new ArrayList<>();
        List<INDArray> v = new ArrayList<>();
        List<INDArray> b = new ArrayList<>();
        for (int l = 0; l < depth; l++) {
            w.add(array(in, dtype));
            v.add(array(in, dtype));
            b.add(array(in, dtype));
        }
        return new PhiState(w, v, b);
    }
}
