package org.metaunsup.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Checksums, shapes, counts and class balance of the data shipped in data/. */
class ShippedDataTest {

    @Test
    void mnistHasAllSeventyThousandCanonicalDigits() {
        DataSplits m = Datasets.load("mnist");
        assertEquals(60000, m.train().count());
        assertEquals(10000, m.test().count());
        assertEquals(784, m.train().dim());
        assertEquals(10, m.train().numClasses());
        assertArrayEquals(new int[] {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949},
                m.train().classCounts());
        assertArrayEquals(new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009},
                m.test().classCounts());
        List<String> md5 = m.files().stream().map(DataSplits.FileCheck::md5).toList();
        assertEquals(List.of(Mnist.TRAIN_IMAGES_MD5, Mnist.TRAIN_LABELS_MD5, Mnist.TEST_IMAGES_MD5,
                Mnist.TEST_LABELS_MD5), md5);
        // The well-known MNIST statistics: mean pixel 0.1307 of the training set.
        assertEquals(0.1307, DatasetSummary.of(m.train()).mean(), 5e-5);
        assertEquals(5, m.train().label(0)); // the first training digit is a 5
    }

    @Test
    void mnistChecksumsFileAgreesWithTheCanonicalOnes() throws IOException {
        Map<String, String> sums = Alphabet.readSums(DataLocator.find("mnist/MD5SUMS"));
        assertEquals(Mnist.TRAIN_IMAGES_MD5, sums.get("train-images-idx3-ubyte"));
        assertEquals(Mnist.TEST_LABELS_MD5, sums.get("t10k-labels-idx1-ubyte"));
    }

    @Test
    void alphabetIsBalancedAndSplitByFamily() throws IOException {
        DataSplits a = Datasets.load("alphabet");
        assertEquals(26, a.train().numClasses());
        assertEquals("A", a.train().className(0));
        assertEquals("Z", a.train().className(25));
        DatasetSummary tr = DatasetSummary.of(a.train());
        DatasetSummary te = DatasetSummary.of(a.test());
        assertEquals(tr.minClassCount(), tr.maxClassCount(), "train balanced");
        assertEquals(te.minClassCount(), te.maxClassCount(), "test balanced");
        assertEquals(0.0, tr.min());
        assertEquals(1.0, tr.max());
        assertTrue(a.train().count() > 10000 && a.test().count() > 2000,
                a.train().count() + " / " + a.test().count());

        // faces.csv: item ranges tile each split exactly, and no family is in both splits.
        List<String> rows = Files.readAllLines(DataLocator.find("alphabet/faces.csv"));
        Map<String, String> familySplit = new HashMap<>();
        Map<String, Integer> next = new HashMap<>(Map.of("train", 0, "test", 0));
        int faces = 0;
        for (String row : rows.subList(1, rows.size())) {
            String[] f = parseCsv(row);
            String family = f[1];
            String split = f[3];
            String prev = familySplit.putIfAbsent(family, split);
            assertTrue(prev == null || prev.equals(split), "family " + family + " in both splits");
            assertEquals((int) next.get(split), Integer.parseInt(f[4]), "contiguous ranges in " + split);
            next.put(split, next.get(split) + Integer.parseInt(f[5]));
            assertTrue(f[6].startsWith("fonts-") || f[6].equals("hershey-fonts-data"), f[6]);
            assertTrue(!f[7].isEmpty(), "licence recorded for " + f[0]);
            faces++;
        }
        assertEquals(a.train().count(), next.get("train"));
        assertEquals(a.test().count(), next.get("test"));
        assertTrue(faces >= 300, "several hundred faces: " + faces);
    }

    @Test
    void faceImagesMatchTheirRecordedChecksum() throws IOException {
        Dataset train = Datasets.load("alphabet").train();
        String[] f = parseCsv(Files.readAllLines(DataLocator.find("alphabet/faces.csv")).get(1));
        int first = Integer.parseInt(f[4]);
        int n = Integer.parseInt(f[5]);
        byte[] b = new byte[n * 784];
        ArrayDataset ad = (ArrayDataset) (f[3].equals("train") ? train : Datasets.load("alphabet").test());
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 784; k++) {
                b[i * 784 + k] = (byte) ad.rawByte(first + i, k);
            }
        }
        assertEquals(f[10], Checksums.digest("MD5", b), "images_md5 of " + f[0]);
    }

    @Test
    void stackedMnistIsDeterministicAndLabelsAreTriples() {
        Dataset digits = Datasets.load("mnist").test();
        StackedMnist a = StackedMnist.of("s", digits, 500, 7);
        StackedMnist b = StackedMnist.of("s", digits, 500, 7);
        StackedMnist c = StackedMnist.of("s", digits, 500, 8);
        assertArrayEquals(a.labels(), b.labels());
        assertTrue(!Arrays.equals(a.labels(), c.labels()));
        assertEquals(3 * 784, a.dim());
        for (int i = 0; i < 50; i++) {
            int[] s = a.sourcesOf(i);
            assertEquals(100 * digits.label(s[0]) + 10 * digits.label(s[1]) + digits.label(s[2]), a.label(i));
            float[] img = a.image(i);
            assertArrayEquals(digits.image(s[1]), Arrays.copyOfRange(img, 784, 1568));
        }
        Dataset small = a.downsample(14);
        assertEquals(3 * 196, small.dim());
        assertArrayEquals(a.labels(), small.labels());
    }

    /** Minimal CSV split honouring double quotes. */
    static String[] parseCsv(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean q = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (q) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (ch == '"') {
                    q = false;
                } else {
                    cur.append(ch);
                }
            } else if (ch == '"') {
                q = true;
            } else if (ch == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        out.add(cur.toString());
        return out.toArray(new String[0]);
    }
}
