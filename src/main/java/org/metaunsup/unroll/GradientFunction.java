package org.metaunsup.unroll;

import java.io.OutputStream;
import java.io.PrintStream;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Builds a graph's gradient function once, up front. SameDiff M2.1 prints a line per
 * differentiated op to standard output while doing so (thousands for an unroll); that output
 * is suppressed here, so the build holds a global lock while System.out is swapped.
 */
public final class GradientFunction {

    private static final Object STDOUT_LOCK = new Object();

    private GradientFunction() {}

    /**
     * @param sd graph with its loss variables set
     */
    public static void ensureBuilt(SameDiff sd) {
        if (sd.getFunction("grad") != null) {
            return;
        }
        synchronized (STDOUT_LOCK) {
            PrintStream out = System.out;
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            try {
                sd.createGradFunction();
            } finally {
                System.setOut(out);
            }
        }
    }
}
