package org.metaunsup.testing;

import java.io.File;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.metaunsup.util.CustomOps;
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
 * computing the gradients threw (message on stdout), 4 if registering our ops or running the
 * graph changed the JVM's nd4j thread settings or session factory, 1 on any other failure.
 */
public final class GraphProbe {

    private GraphProbe() {}

    public static void main(String[] args) throws IOException {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        File graph = new File(args[0]);
        File dir = new File(args[1]);
        String loss = args[2];
        // A user's JVM with thread settings of its own: registering our ops must leave them (and
        // SameDiff's session factory) as they are. The numbers below run at 1 thread again.
        Nd4j.getEnvironment().setMaxThreads(2);
        Nd4j.getEnvironment().setMaxMasterThreads(2);
        Nd4j.factory().blas().setMaxThreads(2);
        Object factory = SameDiff.getInferenceFactory();
        String threads = threadSettings();
        if ("register".equals(args[3])) {
            CustomOps.register();
        }
        if (!threads.equals(threadSettings())) {
            System.out.println("registering our ops changed the thread settings: " + threads + " -> "
                    + threadSettings());
            System.exit(4);
        }
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.getEnvironment().setMaxMasterThreads(1);
        Nd4j.factory().blas().setMaxThreads(1);
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
        if (SameDiff.getInferenceFactory() != factory) {
            System.out.println("loading and differentiating our graph replaced SameDiff's session factory");
            System.exit(4);
        }
        System.exit(0);
    }

    private static String threadSettings() {
        return Nd4j.getEnvironment().maxThreads() + "/" + Nd4j.getEnvironment().maxMasterThreads() + "/"
                + Nd4j.factory().blas().getMaxThreads();
    }
}
