package org.metaunsup.eval.transfer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.metaunsup.BadInputException;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.config.IntRange;
import org.metaunsup.config.TaskDistributionConfig;
import org.metaunsup.eval.CurvePoint;
import org.metaunsup.eval.EvalData;
import org.metaunsup.eval.EvalProtocol;
import org.metaunsup.eval.Evaluation;
import org.metaunsup.eval.FeatureMethod;
import org.metaunsup.eval.RuleSource;
import org.metaunsup.eval.method.Methods;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Architecture transfer (the paper's Figure 3): one frozen θ applied to fresh base models of other
 * widths and depths than it was meta-trained on, each measured with the learning-curve protocol at
 * step 0 and after N steps. Two sweeps around the config's base model: the <em>width</em> sweep
 * keeps its number of hidden layers and gives every hidden layer width w; the <em>depth</em> sweep
 * keeps its first hidden width and stacks d hidden layers of it. The top width is θ's own (the
 * top-down network mixes all top units, so it is fixed by θ). Every architecture is evaluated with
 * the same run seed, hence the same evaluation seeds, permutations, data order and labelled draws;
 * an architecture that lies on both sweeps is evaluated once and reported on both.
 */
public final class TransferStudy {

    /** Which sweep an architecture belongs to. */
    public enum Axis {
        /** every hidden layer of width w, the config's number of hidden layers */
        WIDTH,
        /** d hidden layers of the config's first hidden width */
        DEPTH;

        /** @return the CSV value, {@code width} or {@code depth} */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One architecture of a sweep.
     *
     * @param axis the sweep it belongs to
     * @param width the width of every hidden layer
     * @param depth the number of hidden layers
     * @param base the base model: data width, {@code depth} hidden layers of {@code width}, θ's top width
     */
    public record Point(Axis axis, int width, int depth, BaseModelConfig base) {
        /** @return the swept value: the width on the width axis, the depth on the depth axis */
        public int swept() {
            return axis == Axis.WIDTH ? width : depth;
        }
    }

    /**
     * What was measured on one architecture.
     *
     * @param point the architecture
     * @param points every measurement (per method, seed and step), in the order taken
     * @param seconds wall seconds of the architecture's evaluation (of the first one when reused)
     * @param complete false when stopped early or failed part-way
     * @param reused true when these are the measurements of the same architecture on the other axis
     */
    public record Measured(Point point, List<CurvePoint> points, double seconds, boolean complete, boolean reused) {
        /** Copies the points. */
        public Measured {
            points = List.copyOf(points);
        }
    }

    /**
     * What a study produced.
     *
     * @param measured one entry per architecture reached, in sweep order
     * @param complete false when stopped early
     */
    public record Result(List<Measured> measured, boolean complete) {}

    /** Told about progress; every method may be a no-op. */
    public interface Listener {
        /** @param steps training steps just done (for a progress bar) */
        void stepsDone(int steps);

        /**
         * Called once per architecture reached, also with what was measured before a stop or a
         * failure (then {@code m.complete()} is false), so a caller can always write what it has.
         *
         * @param m the architecture's measurements
         */
        void measured(Measured m);
    }

    private final ExperimentConfig config;
    private final EvalData data;
    private final EvalProtocol protocol;
    private final long runSeed;
    private final RuleSource.Loaded rule;
    private final List<String> methodIds;
    private final List<Point> points;
    private final Map<String, String> labels = new LinkedHashMap<>();

    /**
     * @param config the config: rule widths, inner batch, η, and the base model the sweeps start from
     *     (input width = the data's D)
     * @param data evaluation pools
     * @param protocol steps N, seeds, sizes; measured at step 0 and N whatever its period
     * @param runSeed run seed, the same for every architecture
     * @param rule the rule (θ and its top width)
     * @param methodIds method ids ({@link Methods}): {@code rule}, {@code rule-init}, {@code none}, …
     * @param widths hidden widths of the width sweep
     * @param depths hidden-layer counts of the depth sweep
     * @throws BadInputException for a rule that is {@code none}, bad sweeps ({@link #architectures})
     *     or an unknown method id
     */
    public TransferStudy(ExperimentConfig config, EvalData data, EvalProtocol protocol, long runSeed,
                         RuleSource.Loaded rule, List<String> methodIds, List<Integer> widths, List<Integer> depths) {
        if (rule.isNone()) {
            throw new BadInputException("--rule none: architecture transfer needs a rule (a theta file or folder, "
                    + "or random); the no-rule reference is the method 'none'");
        }
        this.config = config;
        this.data = data;
        this.protocol = new EvalProtocol(protocol.steps(), Math.max(1, protocol.steps()), protocol.seeds(),
                protocol.shots(), protocol.query(), protocol.draws(), protocol.lambda());
        this.runSeed = runSeed;
        this.rule = rule;
        this.methodIds = List.copyOf(methodIds);
        this.points = architectures(config.base(), rule.topUnits(), widths, depths);
        for (FeatureMethod m : methods()) {
            labels.put(m.id(), m.label());
        }
    }

    /**
     * The two sweeps around a base model.
     *
     * @param base the config's base model (input width = the data's D); its number of hidden layers
     *     is the width sweep's depth and its first hidden width the depth sweep's width
     * @param topWidth θ's top width, the top of every architecture
     * @param widths hidden widths of the width sweep (duplicates dropped, order kept)
     * @param depths hidden-layer counts of the depth sweep (duplicates dropped, order kept)
     * @return the width sweep's architectures, then the depth sweep's
     * @throws BadInputException for a width or depth below 1, empty sweeps, or a base model without
     *     hidden layers
     */
    public static List<Point> architectures(BaseModelConfig base, int topWidth, List<Integer> widths,
                                            List<Integer> depths) {
        checkSizes("widths", widths);
        checkSizes("depths", depths);
        int baseDepth = base.depth() - 1;
        if (baseDepth < 1) {
            throw new BadInputException("the config's base model " + base.describe() + " has no hidden layer: "
                    + "the sweeps keep its number of hidden layers and its hidden width");
        }
        List<Point> out = new ArrayList<>();
        for (int w : new LinkedHashSet<>(widths)) {
            out.add(new Point(Axis.WIDTH, w, baseDepth, mlp(base, w, baseDepth, topWidth)));
        }
        int baseWidth = base.width(1);
        for (int d : new LinkedHashSet<>(depths)) {
            out.add(new Point(Axis.DEPTH, baseWidth, d, mlp(base, baseWidth, d, topWidth)));
        }
        return out;
    }

    /**
     * @param what {@code widths} or {@code depths}, for the message
     * @param sizes the values
     * @throws BadInputException when empty or a value is below 1
     */
    public static void checkSizes(String what, List<Integer> sizes) {
        if (sizes == null || sizes.isEmpty()) {
            throw new BadInputException("--" + what + ": give at least one value");
        }
        for (Integer s : sizes) {
            if (s == null || s < 1) {
                throw new BadInputException("--" + what + " " + s + ": " + what + " must be positive integers"
                        + (what.equals("depths") ? " (at least one hidden layer)" : ""));
            }
        }
    }

    private static BaseModelConfig mlp(BaseModelConfig base, int width, int depth, int top) {
        int[] w = new int[depth + 2];
        w[0] = base.inputWidth();
        for (int i = 1; i <= depth; i++) {
            w[i] = width;
        }
        w[depth + 1] = top;
        return new BaseModelConfig(w, base.activation());
    }

    /**
     * @param task a task distribution
     * @param axis a sweep
     * @return the range of that sweep's quantity meta-training drew from ({@code task.hidden_width}
     *     or {@code task.hidden_layers})
     */
    public static IntRange trainingRange(TaskDistributionConfig task, Axis axis) {
        return axis == Axis.WIDTH ? task.hiddenWidth() : task.hiddenLayers();
    }

    /** @return the architectures, in the order they are run */
    public List<Point> points() {
        return points;
    }

    /** @return the protocol used at every architecture (measured at step 0 and N) */
    public EvalProtocol protocol() {
        return protocol;
    }

    /** @return legend text per method id, in display order */
    public Map<String, String> labels() {
        return new LinkedHashMap<>(labels);
    }

    /**
     * @param i seed index
     * @return the evaluation seed of index i, the same at every architecture
     */
    public long seed(int i) {
        return new Evaluation(config, points.get(0).base(), data, protocol, runSeed, DataType.FLOAT).seed(i);
    }

    /** @return training steps of the whole study (for a progress bar), shared architectures once */
    public long totalSteps() {
        long distinct = points.stream().map(Point::base).distinct().count();
        return distinct * labels.size() * protocol.seeds() * protocol.steps();
    }

    /** Fresh methods for one architecture, so that no graph of an earlier architecture is kept. */
    private List<FeatureMethod> methods() {
        return Methods.create(methodIds, rule, config, rule.topUnits(), runSeed);
    }

    /**
     * Runs every architecture in turn.
     *
     * @param listener progress (may be null)
     * @param stop polled between training steps; true stops the study
     * @return every architecture's measurements
     */
    public Result run(Listener listener, BooleanSupplier stop) {
        Listener l = listener != null ? listener : new Listener() {
            @Override
            public void stepsDone(int steps) {}

            @Override
            public void measured(Measured m) {}
        };
        List<Measured> out = new ArrayList<>();
        Map<BaseModelConfig, Measured> done = new LinkedHashMap<>();
        for (Point p : points) {
            Measured earlier = done.get(p.base());
            if (earlier != null) {
                Measured m = new Measured(p, earlier.points(), earlier.seconds(), true, true);
                out.add(m);
                l.measured(m);
                continue;
            }
            if (stop.getAsBoolean()) {
                return new Result(out, false);
            }
            Evaluation evaluation = new Evaluation(config, p.base(), data, protocol, runSeed, DataType.FLOAT);
            List<CurvePoint> got = new ArrayList<>();
            long start = System.nanoTime();
            Evaluation.Result r;
            try {
                r = evaluation.run(methods(), new Evaluation.Listener() {
                    @Override
                    public void stepsDone(int steps) {
                        l.stepsDone(steps);
                    }

                    @Override
                    public void measured(CurvePoint c) {
                        got.add(c);
                    }
                }, stop);
            } catch (RuntimeException | Error e) {
                // What this architecture measured before the failure is still a result.
                l.measured(new Measured(p, got, seconds(start), false, false));
                throw e;
            }
            Measured m = new Measured(p, r.points(), seconds(start), r.complete(), false);
            out.add(m);
            l.measured(m);
            if (!r.complete()) {
                return new Result(out, false);
            }
            done.put(p.base(), m);
        }
        return new Result(out, true);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
