package org.metaunsup.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.metaunsup.BadInputException;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.util.Seeds;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Learning curves of several methods under one protocol: for every seed, every method is started
 * fresh, trained step by step, and measured at the protocol's steps with both readouts on the same
 * labelled draws. Seeds are the outer loop so that an interrupted run has whole seeds for every
 * method where possible. Stops early, keeping every point measured, when {@code stop} says so.
 */
public final class Evaluation {

    /** Told about progress; both methods may be no-ops. */
    public interface Listener {
        /**
         * @param steps training steps just done (for a progress bar)
         */
        void stepsDone(int steps);

        /** @param p a new measurement */
        void measured(CurvePoint p);
    }

    /**
     * What a run produced.
     *
     * @param points every measurement, in the order taken
     * @param complete false when stopped early
     */
    public record Result(List<CurvePoint> points, boolean complete) {}

    private final ExperimentConfig config;
    private final BaseModelConfig arch;
    private final EvalData data;
    private final EvalProtocol protocol;
    private final long runSeed;
    private final DataType dtype;
    /** Null: each seed draws its own permutation (evaluate); else the one every seed uses. */
    private final int[] fixedPermutation;

    /**
     * @param config rule settings (inner batch, η, widths)
     * @param arch base architecture, input width = the data's D
     * @param data evaluation pools
     * @param protocol steps, seeds, sizes
     * @param runSeed the run seed; seed i of the protocol is derived from it as stream {@code seed-i}
     * @param dtype floating type of the methods
     */
    public Evaluation(ExperimentConfig config, BaseModelConfig arch, EvalData data, EvalProtocol protocol,
                      long runSeed, DataType dtype) {
        if (arch.inputWidth() != data.dim()) {
            throw new BadInputException("architecture input width " + arch.inputWidth()
                    + " differs from the data's " + data.dim());
        }
        this.config = config.withBase(arch);
        this.arch = arch;
        this.data = data;
        this.protocol = protocol;
        this.runSeed = runSeed;
        this.dtype = dtype;
        this.fixedPermutation = null;
    }

    private Evaluation(Evaluation base, int[] permutation) {
        this.config = base.config;
        this.arch = base.arch;
        this.data = base.data;
        this.protocol = base.protocol;
        this.runSeed = base.runSeed;
        this.dtype = base.dtype;
        this.fixedPermutation = permutation;
    }

    /**
     * The same evaluation with one input permutation for every seed instead of each seed's own
     * ({@code eval-permutation} stream). Everything else a seed fixes (φ₀, data order, query and
     * support draws) stays as it was, so two such evaluations differ only in the permutation:
     * that is what the input-order study compares.
     *
     * @param permutation permuted column j is original column permutation[j]; a permutation of
     *     0..D−1
     * @return a new evaluation; this one is unchanged
     * @throws IllegalArgumentException when it is not a permutation of the data's D columns
     */
    public Evaluation withPermutation(int[] permutation) {
        int[] p = permutation.clone();
        boolean[] seen = new boolean[data.dim()];
        if (p.length != data.dim()) {
            throw new IllegalArgumentException("permutation of " + p.length + " columns for data of " + data.dim());
        }
        for (int j : p) {
            if (j < 0 || j >= seen.length || seen[j]) {
                throw new IllegalArgumentException("not a permutation of 0.." + (seen.length - 1));
            }
            seen[j] = true;
        }
        return new Evaluation(this, p);
    }

    /**
     * @param seed an evaluation seed
     * @return the input permutation its methods see: the fixed one if given, else the seed's own
     */
    public int[] permutation(long seed) {
        return fixedPermutation != null ? fixedPermutation.clone() : data.permutation(seed);
    }

    /**
     * @param i seed index
     * @return the evaluation seed of index i
     */
    public long seed(int i) {
        return Seeds.derive(runSeed, "seed-" + i);
    }

    /** @return total training steps of a full run over these methods (for a progress bar) */
    public long totalSteps(int methods) {
        return (long) methods * protocol.seeds() * protocol.steps();
    }

    /**
     * @param methods the methods to compare
     * @param listener progress (may be null)
     * @param stop polled between steps; true stops the run
     * @return every measurement
     */
    public Result run(List<FeatureMethod> methods, Listener listener, BooleanSupplier stop) {
        Listener l = listener != null ? listener : new Listener() {
            @Override
            public void stepsDone(int steps) {}

            @Override
            public void measured(CurvePoint p) {}
        };
        List<CurvePoint> points = new ArrayList<>();
        int[] at = protocol.measuredSteps();
        for (int i = 0; i < protocol.seeds(); i++) {
            long seed = seed(i);
            EvalData.Labelled labelled = data.labelled(protocol, seed);
            int[] perm = permutation(seed);
            INDArray evalBatch = labelled.evalBatch(perm, dtype);
            Readouts readouts = new Readouts(protocol.lambda(), Seeds.derive(seed, "logistic-init"));
            for (FeatureMethod m : methods) {
                MethodContext ctx = new MethodContext(config, arch, seed,
                        data.unlabelled(seed, config.innerBatch(), perm), labelled, perm, dtype);
                try (FeatureMethod.Run run = m.start(ctx)) {
                    int done = 0;
                    Readouts.Scores fixed = null;
                    for (int step : at) {
                        while (done < step) {
                            if (stop.getAsBoolean()) {
                                return new Result(points, false);
                            }
                            run.train(1);
                            done++;
                            l.stepsDone(1);
                        }
                        Readouts.Scores s = fixed;
                        if (s == null) {
                            s = readouts.score(run.features(evalBatch), labelled);
                            if (!run.learns()) {
                                fixed = s;   // same features at every step: measure once
                            }
                        }
                        CurvePoint p = new CurvePoint(m.id(), i, step, s.metaLoss(), s.ridgeAccuracy(),
                                s.logisticAccuracy());
                        points.add(p);
                        l.measured(p);
                    }
                }
            }
        }
        return new Result(points, true);
    }
}
