package org.metaunsup.util;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Thread configuration for many small ops: one OpenMP and one BLAS thread per op, parallelism
 * from Java threads (one graph per thread). The defaults oversubscribe a small machine and make
 * small ops several times slower (SAMEDIFF-FACTS). The command line calls {@link #apply()}
 * before anything else touches nd4j; the launcher and the test runner also export
 * OMP_NUM_THREADS=1 and OMP_WAIT_POLICY=passive so that the native pools start that way.
 */
public final class ThreadSettings {

    private static volatile boolean applied;

    private ThreadSettings() {}

    /**
     * Sets nd4j's OpenMP and BLAS thread counts per op (idempotent): 1, or the user's
     * OMP_NUM_THREADS when set (large models on an otherwise idle machine may gain from 2+).
     */
    public static synchronized void apply() {
        if (applied) {
            return;
        }
        int threads = opThreads();
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
        applied = true;
    }

    /** @return threads per op: OMP_NUM_THREADS if it is a positive integer, else 1 */
    public static int opThreads() {
        try {
            int n = Integer.parseInt(String.valueOf(System.getenv("OMP_NUM_THREADS")).trim());
            return n > 0 ? n : 1;
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** @return a one-line description of the thread settings in force, for manifests and logs */
    public static String describe() {
        return "omp_threads=" + Nd4j.getEnvironment().maxThreads()
                + " master_threads=" + Nd4j.getEnvironment().maxMasterThreads()
                + " blas_threads=" + Nd4j.factory().blas().getMaxThreads()
                + " OMP_NUM_THREADS=" + System.getenv("OMP_NUM_THREADS")
                + " OMP_WAIT_POLICY=" + System.getenv("OMP_WAIT_POLICY");
    }
}
