package org.metaunsup.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Test hook for the fault tests (docs/RELIABILITY.md): named moments of a meta-training run at which
 * the process can be made to stop and wait, so that a test kills it with {@code kill -9} exactly
 * there. The system property {@value #PROPERTY} = {@code <point>:<n>:<marker file>} makes the
 * {@code n}-th arrival at that point (1-based, counted per point and process) create the marker
 * file and then wait until the process is killed or the test deletes the marker (then the run goes
 * on). Without the property nothing happens, at the cost of one property read per arrival.
 */
public enum FaultPoint {
    /** A worker is about to build a truncation graph (a cache miss). */
    GRAPH_BUILD,
    /** A worker (a thread, or a Spark task) has computed a truncation and not yet handed it on. */
    TRUNCATION,
    /** Half of a checkpoint's state is in its temp file. */
    CHECKPOINT_WRITE,
    /** A checkpoint is complete; its θ file is written but not yet its card. */
    THETA_EXPORT,
    /** A held-out evaluation is measured and its row not yet written. */
    EVALUATION,
    /** A row is in a log's {@code .jsonl} (metrics or evaluation) and not yet in its {@code .csv}. */
    METRICS_ROW;

    /** The hook's system property. */
    public static final String PROPERTY = "metaunsup.test.pauseAt";

    private static final ConcurrentHashMap<FaultPoint, AtomicLong> ARRIVALS = new ConcurrentHashMap<>();

    /** @return the name used in {@value #PROPERTY}, e.g. {@code checkpoint-write} */
    public String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * @param n which arrival pauses (1-based)
     * @param marker file created when the pause begins
     * @return the property value that pauses there
     */
    public String spec(long n, Path marker) {
        return key() + ":" + n + ":" + marker;
    }

    /** Marks an arrival at this point; pauses for ever when the hook names this arrival. */
    void reach() {
        String hook = System.getProperty(PROPERTY);
        if (hook == null || !hook.startsWith(key() + ":")) {
            return;
        }
        String[] parts = hook.split(":", 3);
        long n = ARRIVALS.computeIfAbsent(this, p -> new AtomicLong()).incrementAndGet();
        if (parts.length < 3 || n != Long.parseLong(parts[1])) {
            return;
        }
        try {
            Files.writeString(Path.of(parts[2]), key() + " " + n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Until killed, or until the test deletes the marker to let the run go on (e.g. after
        // filling the disk). An interrupt (a stop) must not let a paused write go on.
        Path marker = Path.of(parts[2]);
        while (Files.exists(marker)) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                // keep waiting
            }
        }
    }
}
