package org.metaunsup.testing;

import java.io.File;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.metaunsup.metaobjective.DifferentiableSolve;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Loads a FlatBuffers graph in a fresh JVM and writes its outputs and gradients (test helper,
 * run through {@link FreshJvm#run}).
 *
 * <p>Arguments: {@code <graph.fb> <dir> <loss> <register|noregister> <wrt,wrt,...> <out>...}.
 * The placeholders are every {@code <dir>/ph-<encoded name>.bin}; each output is written to
 * {@code <dir>/out-<encoded name>.bin} and each gradient to {@code <dir>/grad-<encoded
 * name>.bin} (names encoded by {@link FreshJvm#fileName}). Exit code 0 on success, 3 if
 * computing the gradients threw (message on stdout), 1 on any other failure.
 */
public final class GraphProbe {

    private GraphProbe() {}

    public static void main(String[] args) throws IOException {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        File graph = new File(args[0]);
        File dir = new File(args[1]);
        String loss = args[2];
        if ("register".equals(args[3])) {
            DifferentiableSolve.register();
        }
        List<String> wrt = List.of(args[4].split(","));
        List<String> outputs = List.of(args).subList(5, args.length);

        SameDiff sd = SameDiff.fromFlatFile(graph);
        Map<String, INDArray> ph = new HashMap<>();
        File[] files = dir.listFiles((d, n) -> n.startsWith("ph-") && n.endsWith(".bin"));
        for (File f : files) {
            ph.put(FreshJvm.decode(f.getName().substring(3, f.getName().length() - 4)), Nd4j.readBinary(f));
        }
        Map<String, INDArray> out = sd.output(ph, outputs);
        for (String o : outputs) {
            Nd4j.saveBinary(out.get(o), new File(dir, FreshJvm.fileName("out", o)));
        }
        sd.setLossVariables(loss);
        Map<String, INDArray> g;
        try {
            g = sd.calculateGradients(ph, wrt);
        } catch (RuntimeException e) {
            System.out.println("gradient failed: " + e);
            System.exit(3);
            return;
        }
        for (String w : wrt) {
            Nd4j.saveBinary(g.get(w), new File(dir, FreshJvm.fileName("grad", w)));
        }
        System.exit(0);
    }
}
