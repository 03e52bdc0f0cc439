package org.metaunsup.scratch;

import java.util.*;
import org.junit.jupiter.api.Test;
import org.metaunsup.util.ThreadSettings;
import org.nd4j.autodiff.samediff.*;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.*;

class ConvSpeedTest {
    SDVariable manual(SameDiff sd, SDVariable x, SDVariable wKio, SDVariable b, int n, int w, int c, int out) {
        // x [n, w, c]; pad axis 1 by 1 both sides
        SDVariable p = sd.nn().pad(x, sd.constant(Nd4j.createFromArray(new int[][] {{0, 0}, {1, 1}, {0, 0}})), 0.0);
        SDVariable s0 = sd.slice(p, new int[] {0, 0, 0}, n, w, c);
        SDVariable s1 = sd.slice(p, new int[] {0, 1, 0}, n, w, c);
        SDVariable s2 = sd.slice(p, new int[] {0, 2, 0}, n, w, c);
        SDVariable cat = sd.concat(2, s0, s1, s2);
        SDVariable y = sd.mmul(sd.reshape(cat, (long) n * w, 3L * c), sd.reshape(wKio, 3L * c, out)).add(b);
        return sd.reshape(y, n, w, out);
    }

    void run(int n, int w, int c, int out, DataType dt) {
        ThreadSettings.apply();
        for (int mode = 0; mode < 2; mode++) {
            SameDiff sd = SameDiff.create();
            SDVariable x = sd.var("x", Nd4j.rand(dt, n, w, c));
            SDVariable k = sd.var("k", Nd4j.rand(dt, 3, c, out).subi(0.5));
            SDVariable b = sd.var("b", Nd4j.rand(dt, out));
            SDVariable y = mode == 0
                    ? sd.cnn().conv1d(x, k, b, Conv1DConfig.builder().k(3).s(1).p(0).d(1).paddingMode(PaddingMode.SAME).dataFormat("NWC").build())
                    : manual(sd, x, k, b, n, w, c, out);
            SDVariable loss = y.mul(sd.constant(Nd4j.rand(dt, n, w, out))).sum();
            sd.setLossVariables(loss.name());
            double[] f = new double[7], g = new double[7];
            Map<String, INDArray> o = null;
            for (int i = 0; i < 7; i++) {
                long t = System.nanoTime(); o = sd.output(new HashMap<>(), y.name()); f[i] = (System.nanoTime() - t) / 1e6;
                t = System.nanoTime(); sd.calculateGradients(new HashMap<>(), "x", "k"); g[i] = (System.nanoTime() - t) / 1e6;
            }
            Arrays.sort(f); Arrays.sort(g);
            double flops = 2.0 * n * w * c * out * 3;
            System.out.printf("CONV %s [%d,%d,%d]->%d fwd %.2f ms (%.1f GF/s) grad %.2f ms%n", mode == 0 ? "conv1d" : "manual", n, w, c, out, f[3], flops / f[3] / 1e6, g[3]);
            if (mode == 0) Nd4j.getRandom().setSeed(1);
        }
    }

    @Test
    void speed() {
        run(196, 64, 32, 32, DataType.FLOAT);
        run(196, 64, 45, 32, DataType.FLOAT);
        run(196, 128, 64, 64, DataType.FLOAT);
        run(128, 128, 64, 64, DataType.FLOAT);
    }
}
