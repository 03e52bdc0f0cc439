package org.metaunsup.data;

import java.nio.file.Path;
import java.util.List;
import org.metaunsup.BadInputException;

/**
 * Builds a {@link Dataset} from an IDX images file and an optional IDX labels file, after
 * validating both completely (see {@link IdxReader}) and checking that they agree.
 */
public final class IdxDatasetLoader {

    private IdxDatasetLoader() {}

    /**
     * Everything needed to load one IDX pair.
     *
     * @param name dataset name for messages and display
     * @param images images file: idx3 [count, rows, cols] or idx4 [count, rows, cols, channels]
     * @param labels labels file (idx1 [count]), or {@code null} for unlabelled data
     * @param numClasses labels must lie in [0, numClasses); 0 = infer as max label + 1
     * @param imagesMd5 known MD5 of the uncompressed images file, or {@code null}
     * @param labelsMd5 known MD5 of the uncompressed labels file, or {@code null}
     * @param classNames display names of the classes, or {@code null} for the numbers
     */
    public record Request(String name, Path images, Path labels, int numClasses, String imagesMd5,
            String labelsMd5, List<String> classNames) {
        /**
         * @param name dataset name
         * @param images images file
         * @param labels labels file or null
         * @return a request with no known checksums and inferred classes
         */
        public static Request of(String name, Path images, Path labels) {
            return new Request(name, images, labels, 0, null, null, null);
        }
    }

    /**
     * Loads and validates an IDX pair.
     *
     * @param r what to load
     * @return the dataset
     * @throws BadInputException on any problem, naming the file
     */
    public static Dataset load(Request r) {
        int[] labels = null;
        int numClasses = 0;
        IdxArray lab = null;
        if (r.labels() != null) {
            // Labels first: small, so a bad pair fails fast.
            lab = IdxReader.read(r.labels(), "labels", 1, 1, r.labelsMd5());
        }
        IdxArray img = IdxReader.read(r.images(), "images", 3, 4, r.imagesMd5());
        if (lab != null) {
            if (lab.count() != img.count()) {
                throw new BadInputException(r.labels() + ": has " + lab.count() + " labels but "
                        + r.images() + " has " + img.count() + " images");
            }
            labels = new int[lab.count()];
            int max = 0;
            for (int i = 0; i < labels.length; i++) {
                labels[i] = lab.data()[i] & 0xff;
                if (r.numClasses() > 0 && labels[i] >= r.numClasses()) {
                    throw new BadInputException(r.labels() + ": label " + labels[i] + " of item " + i
                            + " is out of range (classes are 0.." + (r.numClasses() - 1) + ")");
                }
                max = Math.max(max, labels[i]);
            }
            numClasses = r.numClasses() > 0 ? r.numClasses() : max + 1;
        }
        int[] d = img.dims();
        int rows = d[1];
        int cols = d[2];
        int channels = d.length == 4 ? d[3] : 1;
        byte[] pixels = img.data();
        if (channels > 1) {
            pixels = toChannelMajor(pixels, img.count(), rows, cols, channels);
        }
        return ArrayDataset.ofBytes(r.name(), img.count(), channels, rows, cols, pixels, labels,
                numClasses, r.classNames());
    }

    /** IDX4 stores [count, rows, cols, channels]; datasets are channel-major. */
    private static byte[] toChannelMajor(byte[] hwc, int n, int h, int w, int c) {
        byte[] out = new byte[hwc.length];
        int plane = h * w;
        int item = plane * c;
        for (int i = 0; i < n; i++) {
            int base = i * item;
            for (int p = 0; p < plane; p++) {
                for (int k = 0; k < c; k++) {
                    out[base + k * plane + p] = hwc[base + p * c + k];
                }
            }
        }
        return out;
    }
}
