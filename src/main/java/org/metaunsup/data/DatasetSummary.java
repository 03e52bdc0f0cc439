package org.metaunsup.data;

/**
 * Numbers describing one dataset part: counts, shape, class balance, pixel range.
 *
 * @param name the part's name
 * @param count number of images
 * @param shape channels x height x width text
 * @param dim flattened size D
 * @param numClasses number of classes (0 when unlabelled)
 * @param classCounts images per class (empty when unlabelled)
 * @param min smallest pixel value
 * @param max largest pixel value
 * @param mean mean pixel value
 */
public record DatasetSummary(String name, int count, String shape, int dim, int numClasses,
        int[] classCounts, double min, double max, double mean) {

    /**
     * Computes the summary by reading every pixel once.
     *
     * @param d the dataset
     * @return its summary
     */
    public static DatasetSummary of(Dataset d) {
        float[] img = new float[d.dim()];
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        for (int i = 0; i < d.count(); i++) {
            d.copyImage(i, img, 0);
            double s = 0;
            for (float v : img) {
                s += v;
                if (v < min) {
                    min = v;
                }
                if (v > max) {
                    max = v;
                }
            }
            sum += s;
        }
        return new DatasetSummary(d.name(), d.count(), d.shapeText(), d.dim(), d.numClasses(),
                d.classCounts(), min, max, sum / ((double) d.count() * d.dim()));
    }

    /** @return the fewest images of any class (0 when unlabelled) */
    public int minClassCount() {
        int m = Integer.MAX_VALUE;
        for (int c : classCounts) {
            m = Math.min(m, c);
        }
        return classCounts.length == 0 ? 0 : m;
    }

    /** @return the most images of any class (0 when unlabelled) */
    public int maxClassCount() {
        int m = 0;
        for (int c : classCounts) {
            m = Math.max(m, c);
        }
        return m;
    }
}
