package org.metaunsup.eval;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One way of learning a representation, the unit every comparison is made of: given unlabelled
 * data, a base architecture and a seed ({@link MethodContext}), a method starts a {@link Run} that
 * trains for some steps and maps inputs to features. The learned rule is one implementation (θ
 * applied to a fresh base model); so are the baselines: no rule (random-init features), raw pixels,
 * a VAE and a β-VAE with the base MLP as encoder, and supervised training of the base MLP on the
 * few labelled examples. Readouts and the protocol are the same for all of them.
 */
public interface FeatureMethod {

    /** @return short stable id used in CSV files and on the command line, e.g. {@code vae} */
    String id();

    /** @return legend text, e.g. {@code VAE (encoder mean)} */
    String label();

    /**
     * Starts a fresh run (fresh parameters) for one seed.
     *
     * @param ctx data, architecture and seed
     * @return the run, at training step 0
     */
    Run start(MethodContext ctx);

    /** One method's training run for one seed. */
    interface Run extends AutoCloseable {

        /**
         * Applies more training steps (one unlabelled minibatch each; for the supervised
         * baseline, one full-batch step on its labelled examples).
         *
         * @param steps number of steps
         */
        void train(int steps);

        /**
         * @param x inputs [n, D], already permuted
         * @return features [n, F] of all rows computed together (the base model's batch norm
         *     uses the statistics of these rows)
         */
        INDArray features(INDArray x);

        /** @return false when training never changes the features (raw pixels, no rule) */
        default boolean learns() {
            return true;
        }

        /** Frees what the run holds; the default holds nothing. */
        @Override
        default void close() {}
    }
}
