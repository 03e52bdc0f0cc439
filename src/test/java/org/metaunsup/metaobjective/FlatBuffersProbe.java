package org.metaunsup.metaobjective;

import java.io.File;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Loads a FlatBuffers graph in a fresh JVM and writes its outputs and gradients (test helper,
 * run by {@link FlatBuffersRoundTripTest} through {@code java -cp}).
 *
 * <p>Arguments: {@code <graph.fb> <dir> <loss> <register|noregister> <wrt> <out>...}. The
 * placeholders are read from {@code <dir>/ph-<name>.bin} (every such file), each output
 * {@code o} is written to {@code <dir>/out-<o with / as _>.bin} and the gradient w.r.t.
 * {@code wrt} to {@code <dir>/grad-<wrt>.bin}. Exit code 0 on success, 3 if computing the
 * gradient threw (message on stdout), 1 on any other failure.
 */
public final class FlatBuffersProbe {

    private FlatBuffersProbe() {}

    public static void main(String[] args) throws IOException {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        File graph = new File(args[0]);
        File dir = new File(args[1]);
        String loss = args[2];
        if ("register".equals(args[3])) {
            DifferentiableSolve.register();
        }
        String wrt = args[4];
        List<String> outputs = List.of(args).subList(5, args.length);

        SameDiff sd = SameDiff.fromFlatFile(graph);
        Map<String, INDArray> ph = new HashMap<>();
        File[] files = dir.listFiles((d, n) -> n.startsWith("ph-") && n.endsWith(".bin"));
        for (File f : files) {
            String name = f.getName().substring(3, f.getName().length() - 4);
            ph.put(name, Nd4j.readBinary(f));
        }
        Map<String, INDArray> out = sd.output(ph, outputs);
        for (String o : outputs) {
            Nd4j.saveBinary(out.get(o), new File(dir, "out-" + o.replace('/', '_') + ".bin"));
        }
        sd.setLossVariables(loss);
        INDArray g;
        try {
            g = sd.calculateGradients(ph, wrt).get(wrt);
        } catch (RuntimeException e) {
            System.out.println("gradient failed: " + e);
            System.exit(3);
            return;
        }
        Nd4j.saveBinary(g, new File(dir, "grad-" + wrt + ".bin"));
        System.exit(0);
    }
}
