package org.metaunsup.util;

import org.bytedeco.javacpp.Pointer;
import org.metaunsup.BadInputException;

/**
 * One thread's share of the native memory this JVM may use: a share of JavaCPP's limit
 * ({@code -Dorg.bytedeco.javacpp.maxphysicalbytes}, else the machine's memory) split among the
 * threads that share it, or a {@code -D} property in MiB that overrides it. The graph cache and
 * the array pool size themselves with it.
 */
public final class NativeBudget {

    private NativeBudget() {}

    /**
     * @param property system property holding an override in MiB
     * @param share share of the native limit that all threads together may use
     * @param threads threads that split it
     * @return bytes for one thread
     * @throws BadInputException when the property is not a whole number
     */
    public static long bytesPerThread(String property, double share, int threads) {
        String mb = System.getProperty(property);
        if (mb != null) {
            try {
                return Long.parseLong(mb.trim()) << 20;
            } catch (NumberFormatException e) {
                throw new BadInputException("-D" + property + "=" + mb + " is not a whole number of MiB");
            }
        }
        long limit = Pointer.maxPhysicalBytes();
        if (limit <= 0) {
            limit = Pointer.totalPhysicalBytes();
        }
        return (long) (share * limit / Math.max(1, threads));
    }
}
