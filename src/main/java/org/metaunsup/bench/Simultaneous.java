package org.metaunsup.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Times work that runs on several threads at once, as meta-training's workers do: every thread
 * first prepares untimed (sessions and array pools are per thread, and a worker thread lives for
 * the whole run, so its first pass is not what it makes per minute), then all start the timed part
 * together and the clock stops when the last one ends. A failure on any thread is rethrown.
 */
final class Simultaneous {

    /** What one thread does: its untimed preparation, which returns its timed part. */
    @FunctionalInterface
    interface Job {
        /**
         * @return the part to time, run on the same thread
         * @throws Exception when preparing fails
         */
        Timed prepare() throws Exception;
    }

    /** The timed part of a {@link Job}. */
    @FunctionalInterface
    interface Timed {
        /** @throws Exception when the work fails */
        void run() throws Exception;
    }

    private Simultaneous() {
    }

    /**
     * @param jobs one job per thread
     * @param name the threads' name prefix
     * @return wall seconds from the common start to the end of the last timed part
     * @throws InterruptedException when interrupted while waiting for the threads
     * @throws IllegalStateException when a job failed (its exception is the cause)
     */
    static double seconds(List<Job> jobs, String name) throws InterruptedException {
        CyclicBarrier ready = new CyclicBarrier(jobs.size() + 1);
        CountDownLatch start = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            Job job = jobs.get(i);
            Thread t = new Thread(() -> {
                Timed timed = null;
                try {
                    timed = job.prepare();
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
                try {
                    ready.await();
                    start.await();
                    if (timed != null) {
                        timed.run();
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, name + "-" + i);
            t.start();
            threads.add(t);
        }
        try {
            ready.await();
        } catch (BrokenBarrierException e) {
            throw new IllegalStateException(name + " failed before timing: " + failure.get(), e);
        }
        long t0 = System.nanoTime();
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (failure.get() != null) {
            throw new IllegalStateException(name + " failed: " + failure.get(), failure.get());
        }
        return seconds;
    }
}
