package org.metaunsup.data;

import java.util.List;

/** A {@link Dataset} held in memory as bytes (0..255, scaled on access) or floats. */
final class ArrayDataset extends Dataset {

    private static final float INV255 = 1f / 255f;

    private final byte[] bytes;
    private final float[] floats;

    private ArrayDataset(String name, int count, int channels, int height, int width, byte[] bytes,
            float[] floats, int[] labels, int numClasses, List<String> classNames) {
        super(name, count, channels, height, width, labels, numClasses, classNames);
        this.bytes = bytes;
        this.floats = floats;
    }

    /**
     * Wraps unsigned-byte pixels (not copied: the caller hands over ownership).
     * Keeping 28x28 data as bytes uses a quarter of the memory of floats.
     */
    static ArrayDataset ofBytes(String name, int count, int channels, int height, int width,
            byte[] pixels, int[] labels, int numClasses, List<String> classNames) {
        if (pixels.length != (long) count * channels * height * width) {
            throw new IllegalArgumentException("pixel count mismatch");
        }
        return new ArrayDataset(name, count, channels, height, width, pixels, null, labels,
                numClasses, classNames);
    }

    /** Wraps float pixels in [0, 1] (not copied: the caller hands over ownership). */
    static ArrayDataset ofFloats(String name, int count, int channels, int height, int width,
            float[] pixels, int[] labels, int numClasses, List<String> classNames) {
        if (pixels.length != (long) count * channels * height * width) {
            throw new IllegalArgumentException("pixel count mismatch");
        }
        return new ArrayDataset(name, count, channels, height, width, null, pixels, labels,
                numClasses, classNames);
    }

    @Override
    public void copyImage(int i, float[] dst, int offset) {
        int d = dim();
        if (floats != null) {
            System.arraycopy(floats, i * d, dst, offset, d);
        } else {
            int base = i * d;
            for (int k = 0; k < d; k++) {
                dst[offset + k] = (bytes[base + k] & 0xff) * INV255;
            }
        }
    }

    /** @return whether pixels are held as bytes (then {@link #rawByte} is valid) */
    boolean hasBytes() {
        return bytes != null;
    }

    /** @return the raw 0..255 value of pixel k of image i (byte storage only) */
    int rawByte(int i, int k) {
        return bytes[i * dim() + k] & 0xff;
    }
}
