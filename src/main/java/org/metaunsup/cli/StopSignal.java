package org.metaunsup.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl-C (SIGINT) or SIGTERM during a long command: the JVM runs shutdown hooks and then halts, so
 * the hook raises a flag the work loop polls and then waits until the loop has written what it
 * measured ({@link #close()}), up to a bound. Close it on every exit path; closing removes the hook.
 */
final class StopSignal implements AutoCloseable {

    /** How long the hook keeps the JVM alive for the results to be written. */
    private static final long GRACE_SECONDS = 120;

    private final AtomicBoolean requested = new AtomicBoolean();
    private final CountDownLatch written = new CountDownLatch(1);
    private final Thread hook;

    StopSignal() {
        hook = new Thread(() -> {
            requested.set(true);
            System.err.println("\nstopping: writing what was measured so far ...");
            try {
                written.await(GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "metaunsup-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** @return whether a stop was requested */
    boolean requested() {
        return requested.get();
    }

    @Override
    public void close() {
        written.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook is running and now sees the latch released.
        }
    }
}
