package org.metaunsup.export;

import java.io.File;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.metaunsup.config.Activation;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.testing.FreshJvm;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads a θ file in a fresh JVM, both ways (test helper for {@link ThetaFileFreshJvmTest}).
 * Arguments {@code <file> <dir>}. First with plain {@code SameDiff.fromFlatFile} and nothing of
 * ours registered: lists the θ variables ({@code plain-theta.txt}) and runs the stored inner
 * step on {@code <dir>/ph-*.bin}, writing every {@code unroll/phi/*} output. Then through
 * {@link LearnedRule#load}: one inner step from seed 7 on {@code x.bin} and the features of
 * {@code xe.bin}, written as {@code api-*.bin}.
 */
public final class ThetaFileProbe {

    private ThetaFileProbe() {}

    public static void main(String[] args) throws Exception {
        File file = new File(args[0]);
        Path dir = Path.of(args[1]);
        SameDiff plain = SameDiff.fromFlatFile(file);
        StringBuilder names = new StringBuilder();
        List<String> outputs = new ArrayList<>();
        for (SDVariable v : plain.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE && v.name().startsWith("theta/")) {
                names.append(v.name()).append(' ').append(Arrays.toString(v.getArr().shape())).append('\n');
            }
            if (v.name().startsWith("unroll/phi/")) {
                outputs.add(v.name());
            }
        }
        Files.writeString(dir.resolve("plain-theta.txt"), names.toString());
        Map<String, INDArray> ph = new HashMap<>();
        for (File f : dir.toFile().listFiles((d, n) -> n.startsWith("ph-") && n.endsWith(".bin"))) {
            String enc = f.getName().substring(3, f.getName().length() - 4);
            ph.put(URLDecoder.decode(enc, StandardCharsets.UTF_8), Nd4j.readBinary(f));
        }
        Map<String, INDArray> out = plain.output(ph, outputs);
        for (String o : outputs) {
            Nd4j.saveBinary(out.get(o), dir.resolve(FreshJvm.fileName("out", o)).toFile());
        }

        LearnedRule rule = LearnedRule.load(file.toPath());
        BaseModelConfig arch = new BaseModelConfig(rule.card().architecture(), Activation.RELU);
        BaseModel m = rule.trainer(arch, 7, DataType.DOUBLE).step(Nd4j.readBinary(dir.resolve("x.bin").toFile()));
        for (int l = 1; l <= arch.depth(); l++) {
            Nd4j.saveBinary(m.params().w().get(l - 1), dir.resolve("api-W" + l + ".bin").toFile());
            Nd4j.saveBinary(m.params().v().get(l - 1), dir.resolve("api-V" + l + ".bin").toFile());
            Nd4j.saveBinary(m.params().b().get(l - 1), dir.resolve("api-b" + l + ".bin").toFile());
        }
        Nd4j.saveBinary(m.features(Nd4j.readBinary(dir.resolve("xe.bin").toFile())),
                dir.resolve("api-features.bin").toFile());
        Files.writeString(dir.resolve("card.json"), rule.card().toJson());
        System.exit(0);
    }
}
