package org.metaunsup.data;

import java.nio.file.Path;

/**
 * The validated content of one IDX file of unsigned bytes: its dimensions (first = item
 * count) and its data bytes in file order.
 *
 * @param file the file it was read from (for messages)
 * @param dims the dimensions from the header; {@code dims[0]} is the number of items
 * @param data the data bytes, exactly the product of {@code dims}
 * @param md5 lower-case hex MD5 of the whole uncompressed file (header and data)
 */
public record IdxArray(Path file, int[] dims, byte[] data, String md5) {

    /** @return the number of items (the first dimension) */
    public int count() {
        return dims[0];
    }

    /** @return the number of bytes per item (product of the dimensions after the first) */
    public int itemSize() {
        int s = 1;
        for (int i = 1; i < dims.length; i++) {
            s *= dims[i];
        }
        return s;
    }

    /** @return the dimensions as text, e.g. {@code 60000x28x28} */
    public String shapeText() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < dims.length; i++) {
            if (i > 0) {
                b.append('x');
            }
            b.append(dims[i]);
        }
        return b.toString();
    }
}
