package org.metaunsup.export;

import java.io.PrintStream;
import java.nio.file.Path;
import org.metaunsup.config.Activation;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.unroll.RuntimePolicy;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A user's own JVM (test helper for {@link LibraryLeavesProcessFreshJvmTest}): sets its own nd4j
 * thread counts, then loads a θ file through {@link LearnedRule#load}, trains a base model a few
 * steps and takes its features, and prints two lines, {@code before: …} as set (nd4j may cap a
 * count by the native pool's size) and {@code after: …}, with the thread counts, the installed
 * runtime policy and whether {@code System.out} is the same object. Argument: the θ file.
 */
public final class ProcessUntouchedProbe {

    /** The user's choices, different from both nd4j's defaults and the command line's 1. */
    static final int OMP = 3;
    static final int MASTER = 2;
    static final int BLAS = 2;

    private ProcessUntouchedProbe() {}

    public static void main(String[] args) throws Exception {
        Nd4j.getEnvironment().setMaxThreads(OMP);
        Nd4j.getEnvironment().setMaxMasterThreads(MASTER);
        Nd4j.factory().blas().setMaxThreads(BLAS);
        PrintStream out = System.out;
        out.println("before: " + settings(out));

        LearnedRule rule = LearnedRule.load(Path.of(args[0]));
        BaseModelConfig arch = new BaseModelConfig(rule.card().architecture(), Activation.RELU);
        LearnedRule.Trainer t = rule.trainer(arch, 7, DataType.DOUBLE);
        for (int i = 0; i < 3; i++) {
            t.step(ExportFixture.uniform(i, rule.innerBatch(), arch.inputWidth()));
        }
        INDArray features = t.model().features(ExportFixture.uniform(9, 20, arch.inputWidth()));

        out.println("after: " + settings(out) + " features=" + features.rows());
        out.flush();
        System.exit(0);
    }

    private static String settings(PrintStream out) {
        return "omp=" + Nd4j.getEnvironment().maxThreads()
                + " master=" + Nd4j.getEnvironment().maxMasterThreads()
                + " blas=" + Nd4j.factory().blas().getMaxThreads()
                + " policy=" + (RuntimePolicy.installed() == RuntimePolicy.NONE ? "none" : RuntimePolicy.installed())
                + " out=" + (System.out == out ? "same" : "swapped");
    }
}
