package org.metaunsup.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.metaunsup.BadInputException;

/**
 * An immutable set of images with optional integer labels.
 *
 * <p>Every image has {@code channels x height x width} pixels in [0, 1], stored and
 * returned channel-major: pixel (c, y, x) is at index {@code c*height*width + y*width + x}
 * of the flattened vector of length {@link #dim()}. Labels, when present, are class
 * indices in {@code [0, numClasses)}. Instances are safe to share between threads.
 */
public abstract class Dataset {

    private final String name;
    private final int channels;
    private final int height;
    private final int width;
    private final int count;
    private final int[] labels;
    private final int numClasses;
    private final List<String> classNames;
    private volatile int[][] byClass;

    /**
     * @param name human-readable name, e.g. {@code mnist14/train}
     * @param count number of images
     * @param channels channels per image
     * @param height rows per image
     * @param width columns per image
     * @param labels one class index per image, or {@code null} for unlabelled data
     * @param numClasses number of classes (0 when unlabelled)
     * @param classNames one name per class, or {@code null} for the class numbers
     */
    protected Dataset(String name, int count, int channels, int height, int width, int[] labels,
            int numClasses, List<String> classNames) {
        if (labels != null && labels.length != count) {
            throw new IllegalArgumentException("labels " + labels.length + " != count " + count);
        }
        this.name = name;
        this.count = count;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.labels = labels == null ? null : labels.clone();
        this.numClasses = labels == null ? 0 : numClasses;
        if (labels != null) {
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] < 0 || labels[i] >= numClasses) {
                    throw new IllegalArgumentException("label " + labels[i] + " of item " + i
                            + " outside [0, " + numClasses + ")");
                }
            }
        }
        List<String> names = new ArrayList<>();
        for (int c = 0; c < this.numClasses; c++) {
            names.add(classNames == null ? Integer.toString(c) : classNames.get(c));
        }
        this.classNames = List.copyOf(names);
    }

    /** @return the name, e.g. {@code alphabet/train} */
    public String name() {
        return name;
    }

    /** @return the number of images */
    public int count() {
        return count;
    }

    /** @return channels per image (1 for greyscale, 3 for stacked MNIST) */
    public int channels() {
        return channels;
    }

    /** @return rows per image */
    public int height() {
        return height;
    }

    /** @return columns per image */
    public int width() {
        return width;
    }

    /** @return the flattened input size D = channels * height * width */
    public int dim() {
        return channels * height * width;
    }

    /** @return whether every image has a label */
    public boolean isLabelled() {
        return labels != null;
    }

    /** @return the number of classes (0 for unlabelled data) */
    public int numClasses() {
        return numClasses;
    }

    /**
     * @param cls a class index
     * @return its display name (e.g. "A" for the alphabet, "7" for MNIST)
     */
    public String className(int cls) {
        return classNames.get(cls);
    }

    /**
     * @param i image index
     * @return its class index
     * @throws IllegalStateException if the data is unlabelled
     */
    public int label(int i) {
        requireLabels();
        return labels[i];
    }

    /** @return a copy of all labels, or {@code null} when unlabelled */
    public int[] labels() {
        return labels == null ? null : labels.clone();
    }

    /** @return the number of images of each class (empty when unlabelled) */
    public int[] classCounts() {
        int[] n = new int[numClasses];
        if (labels != null) {
            for (int y : labels) {
                n[y]++;
            }
        }
        return n;
    }

    /**
     * @param cls a class index
     * @return the indices of the images of that class, ascending (a copy)
     */
    public int[] indicesOfClass(int cls) {
        requireLabels();
        return index()[cls].clone();
    }

    /**
     * Copies one image into {@code dst[offset .. offset+dim())}.
     *
     * @param i image index
     * @param dst destination
     * @param offset first index written
     */
    public abstract void copyImage(int i, float[] dst, int offset);

    /**
     * @param i image index
     * @return a fresh copy of the image, length {@link #dim()}
     */
    public float[] image(int i) {
        float[] v = new float[dim()];
        copyImage(i, v, 0);
        return v;
    }

    /**
     * Returns the data at a smaller square size by area averaging: each output pixel is the
     * mean of a {@code f x f} block of input pixels, f = height / size. Mean intensity is
     * preserved exactly (up to float rounding).
     *
     * @param size target height and width; must divide the current height and width
     * @return this dataset if already that size, else a downsampled copy
     * @throws BadInputException if size does not divide the image size
     */
    public Dataset downsample(int size) {
        if (size == height && size == width) {
            return this;
        }
        if (size <= 0 || height % size != 0 || width % size != 0 || height != width) {
            throw new BadInputException(name + ": cannot downsample " + height + "x" + width
                    + " images to " + size + "x" + size + " (size must divide the image size)");
        }
        return downsampleBy(height / size);
    }

    /**
     * Area-average downsample by an integer factor; subclasses may override to stay lazy.
     *
     * @param f factor that divides height and width
     * @return the downsampled dataset
     */
    protected Dataset downsampleBy(int f) {
        int h = height / f;
        int w = width / f;
        int d = channels * h * w;
        float[] out = new float[count * d];
        float[] src = new float[dim()];
        for (int i = 0; i < count; i++) {
            copyImage(i, src, 0);
            Downsample.areaMean(src, channels, height, width, f, out, i * d);
        }
        return ArrayDataset.ofFloats(nameWithSize(h), count, channels, h, w, out, labels,
                numClasses, classNames);
    }

    /**
     * The images of some classes only, relabelled 0..k-1 in the order given (e.g. one fixed
     * validation task of the glyph corpus).
     *
     * @param subsetName name of the new dataset
     * @param classes distinct classes of this dataset
     * @return a copy holding only their images, in index order
     */
    public Dataset classSubset(String subsetName, int[] classes) {
        requireLabels();
        int[] newLabel = new int[numClasses];
        Arrays.fill(newLabel, -1);
        List<String> names = new ArrayList<>();
        for (int k = 0; k < classes.length; k++) {
            if (newLabel[classes[k]] >= 0) {
                throw new IllegalArgumentException("class " + classes[k] + " given twice");
            }
            newLabel[classes[k]] = k;
            names.add(classNames.get(classes[k]));
        }
        int n = 0;
        for (int l : labels) {
            n += newLabel[l] >= 0 ? 1 : 0;
        }
        int d = dim();
        float[] px = new float[n * d];
        int[] y = new int[n];
        int at = 0;
        for (int i = 0; i < count; i++) {
            if (newLabel[labels[i]] >= 0) {
                copyImage(i, px, at * d);
                y[at++] = newLabel[labels[i]];
            }
        }
        return ArrayDataset.ofFloats(subsetName, n, channels, height, width, px, y, classes.length, names);
    }

    /**
     * @param size new image size
     * @return the name with the size inserted after the base name (mnist/train → mnist14/train)
     */
    protected String nameWithSize(int size) {
        int slash = name.indexOf('/');
        String base = slash < 0 ? name : name.substring(0, slash);
        String rest = slash < 0 ? "" : name.substring(slash);
        return base.replaceFirst("\\d+$", "") + size + rest;
    }

    /** @return the class names in class order */
    protected List<String> classNameList() {
        return classNames;
    }

    private void requireLabels() {
        if (labels == null) {
            throw new IllegalStateException(name + " is unlabelled");
        }
    }

    private int[][] index() {
        int[][] idx = byClass;
        if (idx == null) {
            int[] n = classCounts();
            idx = new int[numClasses][];
            for (int c = 0; c < numClasses; c++) {
                idx[c] = new int[n[c]];
            }
            int[] fill = new int[numClasses];
            for (int i = 0; i < count; i++) {
                idx[labels[i]][fill[labels[i]]++] = i;
            }
            byClass = idx;
        }
        return idx;
    }

    @Override
    public String toString() {
        return name + " [" + count + " x " + channels + "x" + height + "x" + width + ", "
                + (labels == null ? "unlabelled" : numClasses + " classes") + "]";
    }

    /** @return the shape text, e.g. {@code 1x28x28} */
    public String shapeText() {
        return channels + "x" + height + "x" + width;
    }

}
