package org.metaunsup.export;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.metaunsup.basemodel.PhiState;
import org.metaunsup.config.Activation;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.io.Npy;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Writes the golden θ file and its reference outputs ({@code src/test/resources/golden/theta-tiny/},
 * read by {@link GoldenThetaFileTest}). Run once when the format changes on purpose, from the
 * repository root:
 * {@code java -cp target/test-classes:target/classes:$(cat cp.txt) org.metaunsup.export.GoldenThetaFile
 * src/test/resources/golden/theta-tiny} (cp.txt from {@code mvn dependency:build-classpath
 * -Dmdep.outputFile=cp.txt}).
 *
 * <p>Contents: {@code rule.theta.fb} (meta-initialised θ of {@code tiny} with η = 0.05, seed 21,
 * outer step 12, float64); φ₀ of the stored architecture from seed 7 ({@code phi0__*.npy}); two
 * unlabelled batches ({@code x0}, {@code x1}); φ after two inner steps ({@code phi2__*.npy}); the
 * batch-statistics features of {@code xe} under φ₂ ({@code features.npy}).
 */
public final class GoldenThetaFile {

    private GoldenThetaFile() {}

    /** Architecture of the golden file: {@code tiny}'s base model. */
    static final int[] ARCH = {16, 6, 5, 4};

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Path file = dir.resolve("rule.theta.fb");
        ThetaFile.write(file, ExportFixture.theta(21), ExportFixture.card(12));
        LearnedRule rule = LearnedRule.load(file);
        BaseModelConfig arch = new BaseModelConfig(ARCH, Activation.RELU);
        LearnedRule.Trainer t = rule.trainer(arch, 7, DataType.DOUBLE);
        write(dir, "phi0", t.model().params());
        INDArray x0 = ExportFixture.uniform(100, rule.innerBatch(), 16);
        INDArray x1 = ExportFixture.uniform(101, rule.innerBatch(), 16);
        INDArray xe = ExportFixture.uniform(102, 12, 16);
        Npy.writeDouble(dir.resolve("x0.npy"), x0);
        Npy.writeDouble(dir.resolve("x1.npy"), x1);
        Npy.writeDouble(dir.resolve("xe.npy"), xe);
        t.step(x0);
        BaseModel m = t.step(x1);
        write(dir, "phi2", m.params());
        Npy.writeDouble(dir.resolve("features.npy"), m.features(xe));
        System.out.println("wrote " + dir);
    }

    static void write(Path dir, String prefix, PhiState p) throws IOException {
        for (int l = 1; l <= p.depth(); l++) {
            Npy.writeDouble(dir.resolve(prefix + "__W" + l + ".npy"), p.w().get(l - 1));
            Npy.writeDouble(dir.resolve(prefix + "__V" + l + ".npy"), p.v().get(l - 1));
            Npy.writeDouble(dir.resolve(prefix + "__b" + l + ".npy"), p.b().get(l - 1));
        }
    }

    static PhiState read(Path dir, String prefix, int depth) {
        List<INDArray> w = new ArrayList<>();
        List<INDArray> v = new ArrayList<>();
        List<INDArray> b = new ArrayList<>();
        for (int l = 1; l <= depth; l++) {
            w.add(Npy.read(dir.resolve(prefix + "__W" + l + ".npy"), DataType.DOUBLE));
            v.add(Npy.read(dir.resolve(prefix + "__V" + l + ".npy"), DataType.DOUBLE));
            b.add(Npy.read(dir.resolve(prefix + "__b" + l + ".npy"), DataType.DOUBLE));
        }
        return new PhiState(w, v, b);
    }
}
