package org.metaunsup.data;

import java.util.List;

/**
 * A loaded dataset: its training part, its test part when it has one, and the files it
 * came from with their checksum status.
 *
 * @param name the spec it was loaded from, e.g. {@code mnist14}
 * @param train the training part (for {@code idx:} data, the whole file)
 * @param test the test part, or {@code null} when there is none ({@code idx:} data)
 * @param files every file read, with its checksum and whether that was verified
 */
public record DataSplits(String name, Dataset train, Dataset test, List<FileCheck> files) {

    /**
     * One file read for a dataset.
     *
     * @param path where it was read from
     * @param md5 MD5 of its uncompressed content
     * @param status how the checksum was checked, e.g. "verified (canonical MD5)" or "no known checksum"
     */
    public record FileCheck(String path, String md5, String status) {}

    /** @return whether a test part exists */
    public boolean hasTest() {
        return test != null;
    }

    /**
     * @param size target square size (must divide the image size)
     * @return both parts downsampled by area averaging
     */
    public DataSplits downsample(int size) {
        if (size == train.height()) {
            return this;
        }
        return new DataSplits(name.replaceFirst("\\d+$", "") + size, train.downsample(size),
                test == null ? null : test.downsample(size), files);
    }
}
