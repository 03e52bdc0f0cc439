package org.metaunsup.train;

import java.util.List;
import org.metaunsup.rule.Theta;

/**
 * Keeps N truncations in flight and hands each result to the trainer as soon as it is done.
 * Engines differ only in where truncations run (threads of this JVM, Spark tasks); the policy —
 * which θ, what happens to a gradient — is the trainer's, reached through {@link Sink}.
 */
public interface Engine extends AutoCloseable {

    /**
     * θ as the trainer publishes it.
     *
     * @param theta θ in the workers' floating type (never modified)
     * @param version its outer step
     */
    record VersionedTheta(Theta theta, long version) {}

    /** The trainer, as an engine sees it. Thread-safe. */
    interface Sink {
        /** @return the newest θ */
        VersionedTheta theta();

        /**
         * @param t a finished truncation
         */
        void accept(Truncation t);

        /** @return whether more truncations are wanted */
        boolean open();

        /**
         * @param error a failure that stops the run
         */
        void fail(Throwable error);
    }

    /**
     * Starts {@code min(workers, slots)} workers that serve the pool's slots in rounds, each in a
     * seeded order ({@link SlotQueue}: a slot is never in flight twice), and returns at once.
     *
     * @param sink where results go
     * @param slots every pool slot's state
     * @param workers truncations to keep in flight
     */
    void start(Sink sink, List<WorkerState> slots, int workers);

    /** @return a short description for logs and manifests, e.g. {@code threads x2} */
    String describe();

    /**
     * Stops taking new truncations and returns within a bounded time (about a second, plus what the
     * engine's framework needs to shut down); truncations still in flight are abandoned.
     */
    @Override
    void close();
}
