package org.metaunsup.eval.invariance;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.metaunsup.BadInputException;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.eval.CurvePoint;
import org.metaunsup.eval.EvalData;
import org.metaunsup.eval.EvalProtocol;
import org.metaunsup.eval.Evaluation;
import org.metaunsup.eval.FeatureMethod;
import org.metaunsup.eval.Readouts;
import org.metaunsup.eval.method.SupervisedMethod;
import org.metaunsup.eval.readout.PrototypeReadout;
import org.metaunsup.util.Seeds;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Input-order invariance, measured (docs/EVALUATION.md, "Input-order invariance"). Meta-training
 * shows the rule a fresh pixel permutation per task, so a rule that learned something general
 * must not care about pixel order: the same θ under the identity and under P random permutations
 * should give the same accuracy within standard error. Only the permutation differs between
 * them: φ₀, the order of unlabelled batches and the query and support draws of every seed are the
 * same ({@link Evaluation#withPermutation}).
 *
 * <p>The contrast is a feature extractor that does depend on pixel order: the base MLP with a
 * softmax head trained with labels on <em>unpermuted</em> training images and then fixed
 * ({@link ExtractorRecipe}); the held-out images are permuted and fed to it as they are. It is
 * scored with the ridge and logistic readouts and with the prototype readout of prototypical
 * networks (nearest class mean of the support features, {@link PrototypeReadout}). Raw pixels are
 * measured the same way for reference.
 *
 * <p>Permutation 0 is the identity; permutation p ≥ 1 is a uniform shuffle of the D columns drawn
 * from its own seed, {@code Seeds.derive(runSeed, "invariance-permutation-p")}. Evaluation seed i
 * is {@link Evaluation#seed}, as in {@code evaluate}. The baseline and raw pixels are measured
 * first (they are cheap), then the rule permutation by permutation.
 */
public final class InvarianceStudy {

    /** Method id of the fixed supervised extractor. */
    public static final String EXTRACTOR = "supervised-fixed";
    /** Method id of the raw pixels. */
    public static final String RAW = "raw";

    /**
     * How the contrast baseline's extractor is trained, once per evaluation seed: {@code perClass}
     * labelled images per class drawn from the training split (stream {@code extractor-labels} of
     * the seed), unpermuted; the base MLP from the seed's φ₀ (the rule's φ₀) plus a linear softmax
     * head (stream {@code extractor-head}); {@code steps} full-batch Adam steps at
     * {@link SupervisedMethod#LEARNING_RATE} on cross-entropy (the network of
     * {@link SupervisedMethod}). Features = the top hidden layer x^L.
     *
     * @param perClass labelled training images per class
     * @param steps full-batch Adam steps
     */
    public record ExtractorRecipe(int perClass, int steps) {

        /** Checks both counts. */
        public ExtractorRecipe {
            if (perClass < 1 || steps < 1) {
                throw new BadInputException("the baseline extractor needs >= 1 labelled image per class and >= 1 step");
            }
        }

        /** @return 100 labelled training images per class, 300 full-batch Adam steps */
        public static ExtractorRecipe standard() {
            return new ExtractorRecipe(100, 300);
        }

        /** @return one sentence for outputs */
        public String describe() {
            return String.format(Locale.ROOT, "base MLP (the rule's architecture and phi0) + linear softmax head, "
                    + "cross-entropy, %d full-batch Adam steps at lr %s on %d labelled images per class of the "
                    + "training split, unpermuted; then fixed; features = top hidden layer", steps,
                    SupervisedMethod.LEARNING_RATE, perClass);
        }
    }

    /**
     * One measurement of one method, permutation and seed (readouts averaged over the draws).
     *
     * @param method method id
     * @param permutation 0 = identity, p ≥ 1 = permutation p
     * @param seed seed index 0..S−1
     * @param step the rule's inner steps so far; −1 for the methods that do not train here
     * @param metaLoss ridge meta-objective
     * @param ridgeAccuracy ridge query accuracy
     * @param logisticAccuracy logistic query accuracy
     * @param prototypeAccuracy prototype query accuracy, NaN where it is not measured (the rule)
     */
    public record Point(String method, int permutation, int seed, int step, double metaLoss, double ridgeAccuracy,
                        double logisticAccuracy, double prototypeAccuracy) {}

    /** Told about progress; both methods may be no-ops. */
    public interface Listener {
        /** @param steps training steps just done (the extractor's or the rule's) */
        void stepsDone(int steps);

        /** @param p a new measurement */
        void measured(Point p);

        /** @param trainingAccuracy a seed's extractor is trained: its head's accuracy on its images */
        default void extractorTrained(double trainingAccuracy) {}
    }

    /**
     * What a run produced.
     *
     * @param points every measurement, in the order taken
     * @param extractorTrainingAccuracy per seed done, the extractor's own head's accuracy on its
     *     training images (it shows the extractor was trained)
     * @param complete false when stopped early
     */
    public record Result(List<Point> points, List<Double> extractorTrainingAccuracy, boolean complete) {}

    private final Evaluation evaluation;
    private final BaseModelConfig arch;
    private final EvalData data;
    private final EvalProtocol protocol;
    private final int permutations;
    private final ExtractorRecipe recipe;
    private final long runSeed;
    private final DataType dtype;

    /**
     * @param config rule settings (inner batch, η, widths)
     * @param arch base architecture, input width = the data's D
     * @param data evaluation pools
     * @param protocol steps N (the rule is measured at 0 and N: use every = N), seeds, sizes
     * @param permutations P, the random permutations besides the identity
     * @param recipe how the contrast baseline is trained
     * @param runSeed run seed (evaluation seeds and permutations derive from it)
     * @param dtype floating type
     * @throws BadInputException when P &lt; 1, N &lt; 1 or fewer than 2 seeds (no standard error)
     */
    public InvarianceStudy(ExperimentConfig config, BaseModelConfig arch, EvalData data, EvalProtocol protocol,
                           int permutations, ExtractorRecipe recipe, long runSeed, DataType dtype) {
        if (permutations < 1 || protocol.steps() < 1 || protocol.seeds() < 2) {
            throw new BadInputException("the invariance study needs >= 1 random permutation, >= 1 step and "
                    + ">= 2 seeds (a standard error needs two)");
        }
        this.evaluation = new Evaluation(config, arch, data, protocol, runSeed, dtype);
        this.arch = arch;
        this.data = data;
        this.protocol = protocol;
        this.permutations = permutations;
        this.recipe = recipe;
        this.runSeed = runSeed;
        this.dtype = dtype;
    }

    /** @return one sentence stating the study's protocol, written into every output */
    public String describe() {
        return String.format(Locale.ROOT, "the rule: %d inner steps on the unlabelled training split under each "
                + "permutation, measured at step %d; the supervised extractor: trained once per seed on unpermuted "
                + "labelled training images, then fixed; raw pixels; each measured on the permuted held-out split: "
                + "support = %d labelled examples per class, query = %d other held-out examples (class-balanced), "
                + "%d support draws per point; ridge (lambda %.3g) and logistic readouts for every method, "
                + "prototype (nearest class mean) for the extractor and raw pixels; a seed fixes base init, data "
                + "order and draws, the permutation is the study's; mean +- standard error over %d seeds",
                protocol.steps(), protocol.steps(), protocol.shots(), protocol.query(), protocol.draws(),
                protocol.lambda(), protocol.seeds());
    }

    /** @return P + 1: the identity and P random permutations */
    public int permutationCount() {
        return permutations + 1;
    }

    /**
     * @param p 1..P
     * @return the seed permutation p is drawn from
     */
    public long permutationSeed(int p) {
        if (p < 1 || p > permutations) {
            throw new IllegalArgumentException("permutation " + p + " of 1.." + permutations);
        }
        return Seeds.derive(runSeed, "invariance-permutation-" + p);
    }

    /**
     * @param p 0 (identity) .. P
     * @return the permutation: permuted column j is original column perm[j]
     */
    public int[] permutation(int p) {
        int[] perm = EvalData.range(data.dim());
        if (p > 0) {
            EvalData.shuffle(perm, new SplittableRandom(permutationSeed(p)));
        }
        return perm;
    }

    /**
     * @param i seed index
     * @return evaluation seed i (the same as {@code evaluate}'s)
     */
    public long seed(int i) {
        return evaluation.seed(i);
    }

    /** @return training steps of a full run (for a progress bar) */
    public long totalSteps() {
        return (long) protocol.seeds() * (recipe.steps() + (long) permutationCount() * protocol.steps());
    }

    /**
     * Checks that the data holds what the protocol and the recipe draw (the first seed's labelled
     * sets, the extractor's images per class), so bad sizes fail before any output is written.
     *
     * @throws BadInputException naming what is too small
     */
    public void checkSizes() {
        data.labelled(protocol, seed(0));
        data.trainingSample(recipe.perClass(), Seeds.stream(seed(0), "extractor-labels"));
    }

    /**
     * The extractor of one evaluation seed, untrained.
     *
     * @param seed evaluation seed
     * @return the network, at step 0
     */
    SupervisedMethod.SupervisedRun extractor(long seed) {
        int[] idx = data.trainingSample(recipe.perClass(), Seeds.stream(seed, "extractor-labels"));
        INDArray x = data.gather(true, idx, EvalData.range(data.dim()), dtype);
        return new SupervisedMethod.SupervisedRun(arch, Seeds.derive(seed, "phi-init"),
                Seeds.stream(seed, "extractor-head"), x, data.trainLabels(idx), data.classes(), dtype);
    }

    /**
     * Runs the study: the baseline and raw pixels seed by seed, then the rule permutation by
     * permutation.
     *
     * @param rule the rule (θ applied to fresh base models)
     * @param listener progress (may be null)
     * @param stop polled between steps; true stops the run, keeping what was measured
     * @return every measurement
     */
    public Result run(FeatureMethod rule, Listener listener, BooleanSupplier stop) {
        Listener l = listener != null ? listener : new Listener() {
            @Override
            public void stepsDone(int steps) {}

            @Override
            public void measured(Point p) {}
        };
        List<Point> points = new ArrayList<>();
        List<Double> trainAcc = new ArrayList<>();
        List<int[]> perms = new ArrayList<>();
        for (int p = 0; p < permutationCount(); p++) {
            perms.add(permutation(p));
        }
        for (int i = 0; i < protocol.seeds(); i++) {
            long seed = seed(i);
            EvalData.Labelled labelled = data.labelled(protocol, seed);
            Readouts readouts = new Readouts(protocol.lambda(), Seeds.derive(seed, "logistic-init"));
            try (SupervisedMethod.SupervisedRun ex = extractor(seed)) {
                for (int s = 0; s < recipe.steps(); s++) {
                    if (stop.getAsBoolean()) {
                        return new Result(points, trainAcc, false);
                    }
                    ex.train(1);
                    l.stepsDone(1);
                }
                trainAcc.add(ex.trainingAccuracy());
                l.extractorTrained(trainAcc.get(trainAcc.size() - 1));
                for (int p = 0; p < perms.size(); p++) {
                    if (stop.getAsBoolean()) {
                        return new Result(points, trainAcc, false);
                    }
                    INDArray x = labelled.evalBatch(perms.get(p), dtype);
                    for (String id : List.of(EXTRACTOR, RAW)) {
                        INDArray f = id.equals(RAW) ? x : ex.features(x);
                        Readouts.Scores sc = readouts.score(f, labelled);
                        Point pt = new Point(id, p, i, -1, sc.metaLoss(), sc.ridgeAccuracy(), sc.logisticAccuracy(),
                                PrototypeReadout.meanAccuracy(f, labelled));
                        points.add(pt);
                        l.measured(pt);
                    }
                }
            }
        }
        for (int p = 0; p < perms.size(); p++) {
            final int perm = p;
            Evaluation.Result r = evaluation.withPermutation(perms.get(p)).run(List.of(rule), new Evaluation.Listener() {
                @Override
                public void stepsDone(int steps) {
                    l.stepsDone(steps);
                }

                @Override
                public void measured(CurvePoint c) {
                    Point pt = new Point(c.method(), perm, c.seed(), c.step(), c.metaLoss(), c.ridgeAccuracy(),
                            c.logisticAccuracy(), Double.NaN);
                    points.add(pt);
                    l.measured(pt);
                }
            }, stop);
            if (!r.complete()) {
                return new Result(points, trainAcc, false);
            }
        }
        return new Result(points, trainAcc, true);
    }
}
