package org.metaunsup.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Area-average downsampling preserves mean intensity and averages 2x2 blocks. */
class DownsampleTest {

    @Test
    void averagesBlocks() {
        float[] src = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
        float[] dst = new float[4];
        Downsample.areaMean(src, 1, 4, 4, 2, dst, 0);
        assertEquals((0 + 1 + 4 + 5) / 4f, dst[0]);
        assertEquals((2 + 3 + 6 + 7) / 4f, dst[1]);
        assertEquals((10 + 11 + 14 + 15) / 4f, dst[3]);
    }

    @Test
    void mnist14KeepsEveryImagesMeanIntensity() {
        Dataset big = Datasets.load("mnist").test();
        Dataset small = Datasets.load("mnist14").test();
        assertEquals(196, small.dim());
        double worst = 0;
        for (int i = 0; i < big.count(); i += 97) {
            worst = Math.max(worst, Math.abs(mean(big.image(i)) - mean(small.image(i))));
        }
        assertEquals(0.0, worst, 1e-6);
        assertEquals(DatasetSummary.of(big).mean(), DatasetSummary.of(small).mean(), 1e-6);
        assertEquals(big.label(123), small.label(123));
    }

    @Test
    void fourByFourAlphabetForTinyConfigs() {
        Dataset a = Datasets.load("alphabet4").train();
        assertEquals(16, a.dim());
        assertEquals(DatasetSummary.of(Datasets.load("alphabet").train()).mean(), DatasetSummary.of(a).mean(), 1e-5);
    }

    private static double mean(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x;
        }
        return s / v.length;
    }
}
