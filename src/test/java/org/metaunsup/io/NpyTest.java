package org.metaunsup.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** .npy written in the array's own type, read back by our reader and by nd4j's. */
class NpyTest {

    @Test
    void float32AndInt32KeepTheirTypeAndValues(@TempDir Path tmp) throws Exception {
        INDArray f = Nd4j.createFromArray(new float[][] {{1.5f, -2f, 3.25f}, {0f, 1e-7f, 7f}});
        INDArray y = Nd4j.createFromArray(new int[] {3, 1, 4, 1, 5});
        Npy.write(tmp.resolve("f.npy"), f);
        Npy.write(tmp.resolve("y.npy"), y);
        assertTrue(header(tmp.resolve("f.npy")).contains("'descr': '<f4'"));
        assertTrue(header(tmp.resolve("f.npy")).contains("'shape': (2, 3)"));
        assertTrue(header(tmp.resolve("y.npy")).contains("'descr': '<i4'"));
        assertTrue(header(tmp.resolve("y.npy")).contains("'shape': (5,)"));
        assertEquals(f.castTo(DataType.DOUBLE), Npy.read(tmp.resolve("f.npy"), DataType.DOUBLE));
        assertEquals(y, Nd4j.createFromNpyFile(tmp.resolve("y.npy").toFile()));
        assertEquals(f, Nd4j.createFromNpyFile(tmp.resolve("f.npy").toFile()));
        assertEquals(0, (Files.size(tmp.resolve("f.npy")) - 4 * 6) % 64, "the header pads to 64 bytes");
    }

    @Test
    void float64IsUnchangedByTheGeneralWriter(@TempDir Path tmp) throws Exception {
        INDArray d = Nd4j.createFromArray(new double[] {0.1, 0.2, Math.PI});
        assertArrayEquals(Npy.encodeDouble(d), Npy.encode(d));
        Npy.write(tmp.resolve("d.npy"), d);
        assertEquals(d, Npy.read(tmp.resolve("d.npy"), DataType.DOUBLE));
    }

    private static String header(Path file) throws Exception {
        byte[] b = Files.readAllBytes(file);
        int len = (b[8] & 0xff) | (b[9] & 0xff) << 8;
        return new String(b, 10, len, StandardCharsets.US_ASCII);
    }
}
