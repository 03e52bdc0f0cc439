package org.metaunsup.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.metaunsup.BadInputException;

/**
 * Every config key, declared once: its name, how its text is read, which values mean something
 * (and the one line that says so), and where its value lives in an {@link ExperimentConfig}.
 * The loader ({@link ConfigLoader}) and {@link ExperimentConfig#toProperties()} both walk this
 * table, in its order, so a key cannot be read under one name and written under another.
 *
 * <p>Values are checked by meaning before any work starts: a value that would only fail inside a
 * native op later (an inner batch of 0, an even kernel, λ = 0) is a {@link BadInputException}
 * naming the key, the value and what is allowed.
 */
public final class ConfigKeys {

    private static final List<Key<?>> TABLE = new ArrayList<>();

    /**
     * One key of the file format.
     *
     * @param <T> type of its value
     */
    public static final class Key<T> {
        private final String name;
        private final String allowed;
        private final Function<String, T> parse;
        private final Predicate<T> valid;
        private final Function<ExperimentConfig, T> read;
        private final Function<T, String> write;
        /** Value assumed when a recorded config predates this key (null: always required). */
        private String olderRecords;
        /** Whether the key is left out of {@link #identity} while it holds its older-records value. */
        private boolean neutral;

        private Key(String name, String allowed, Function<String, T> parse, Predicate<T> valid,
                    Function<ExperimentConfig, T> read, Function<T, String> write) {
            this.name = name;
            this.allowed = allowed;
            this.parse = parse;
            this.valid = valid;
            this.read = read;
            this.write = write;
        }

        /**
         * Marks a key added after configs were first recorded (θ cards, run folders): a record
         * without it is read with this value. Files and built-ins must still name the key.
         */
        private Key<T> olderRecords(String text) {
            this.olderRecords = text;
            return this;
        }

        /**
         * Marks a key whose older-records value means exactly what its absence meant (it selects
         * no new behaviour): a run started before the key existed keeps its identity
         * ({@link #identity}) and can be resumed.
         */
        private Key<T> neutralAtOlderValue() {
            this.neutral = true;
            return this;
        }

        /** @return the key as written in files, e.g. {@code inner.batch} */
        public String name() {
            return name;
        }

        /** @return what the key accepts, e.g. {@code an integer >= 2 (...)} */
        public String allowed() {
            return allowed;
        }

        /**
         * @param source config name, for the message
         * @param text the value as written
         * @return the value
         * @throws BadInputException when the text is malformed or the value means nothing
         */
        T parse(String source, String text) {
            T v;
            try {
                v = parse.apply(text.trim());
            } catch (RuntimeException e) {
                v = null;
            }
            if (v == null || !valid.test(v)) {
                throw bad(source, text);
            }
            return v;
        }

        /** @throws BadInputException when the config's value of this key means nothing */
        void check(ExperimentConfig c) {
            T v = read.apply(c);
            if (!valid.test(v)) {
                throw bad(c.name(), write.apply(v));
            }
        }

        /** @return the older-records value as this key writes it (e.g. {@code 1e-2} → {@code 0.01}) */
        String canonicalOlderValue() {
            return write.apply(parse.apply(olderRecords));
        }

        /** @return the config's value of this key in the file format */
        String format(ExperimentConfig c) {
            return write.apply(read.apply(c));
        }

        private BadInputException bad(String source, String text) {
            return new BadInputException("config " + source + ": " + name + " = '" + text.trim() + "': must be "
                    + allowed);
        }
    }

    // Graph shape: base model, inner step, rule widths, objective.
    /** Input width n_0. */
    public static final Key<Integer> BASE_INPUT = integer("base.input", 1, "input pixels",
            c -> c.base().inputWidth());
    /** Hidden widths n_1 … n_{L−1}. */
    public static final Key<int[]> BASE_HIDDEN = add(new Key<>("base.hidden",
            "comma-separated integers >= 1, or empty for no hidden layer", ConfigKeys::intList,
            a -> Arrays.stream(a).allMatch(w -> w >= 1), c -> hidden(c.base()), ConfigKeys::joinInts));
    /** Top width n_L. */
    public static final Key<Integer> BASE_TOP = integer("base.top", 1, "units of the representation",
            c -> c.base().topWidth());
    /** Base model activation. */
    public static final Key<Activation> BASE_ACTIVATION = add(new Key<>("base.activation",
            "one of relu, leaky_relu, swish, tanh, step", Activation::parse, a -> true,
            c -> c.base().activation(), a -> a.name().toLowerCase(Locale.ROOT)));
    /** Unlabelled examples per inner step. */
    public static final Key<Integer> INNER_BATCH = integer("inner.batch", 2,
            "the base model's batch norm normalises over the batch", ExperimentConfig::innerBatch);
    /** Inner step size η. */
    public static final Key<Double> INNER_ETA = real("inner.eta", "a number in (0, 1) (p <- (1 - eta) p - eta g)",
            v -> v > 0 && v < 1, ExperimentConfig::eta);
    /** h. */
    public static final Key<Integer> RULE_HIDDEN = integer("rule.hidden", 1, "channels of h",
            c -> c.rule().hidden());
    /** d. */
    public static final Key<Integer> RULE_DELTA = integer("rule.delta", 1, "channels of the error signal",
            c -> c.rule().delta());
    /** Top-down width. */
    public static final Key<Integer> RULE_TOP_WIDTH = integer("rule.top_width", 1,
            "channels of the top-down network", c -> c.rule().topWidth());
    /** g. */
    public static final Key<Integer> RULE_GRAD_CHANNELS = integer("rule.grad_channels", 1,
            "channels of each readout", c -> c.rule().gradChannels());
    /** Kernel of the first top-down convolution. */
    public static final Key<Integer> RULE_TOP_KERNEL = oddKernel("rule.top_kernel", c -> c.rule().topKernel());
    /** Kernel of every other rule convolution. */
    public static final Key<Integer> RULE_KERNEL = oddKernel("rule.kernel", c -> c.rule().kernel());
    /** Whether V receives W's change. */
    public static final Key<Boolean> RULE_V_SHARES_W = add(new Key<>("rule.v_shares_w", "true or false",
            ConfigKeys::bool, b -> true, c -> c.rule().vSharesW(), b -> Boolean.toString(b)));
    /** N-way. */
    public static final Key<Integer> OBJECTIVE_CLASSES = integer("objective.classes", 2,
            "a readout separates at least two classes", c -> c.objective().classes());
    /** Support examples per class. */
    public static final Key<Integer> OBJECTIVE_SUPPORT = integer("objective.support_per_class", 1,
            "labelled support examples per class", c -> c.objective().supportPerClass());
    /** Query examples per class. */
    public static final Key<Integer> OBJECTIVE_QUERY = integer("objective.query_per_class", 1,
            "labelled query examples per class", c -> c.objective().queryPerClass());
    /** Ridge penalty λ. */
    public static final Key<Double> OBJECTIVE_LAMBDA = real("objective.lambda",
            "a number > 0 (the ridge system must stay solvable)", v -> v > 0, c -> c.objective().lambda());

    // Task distribution of meta-training.
    /** Hidden layers of a task's base model. */
    public static final Key<IntRange> TASK_HIDDEN_LAYERS = range("task.hidden_layers",
            c -> c.task().hiddenLayers());
    /** Hidden width of a task's base model. */
    public static final Key<IntRange> TASK_HIDDEN_WIDTH = range("task.hidden_width", c -> c.task().hiddenWidth());
    /** Total inner length T. */
    public static final Key<IntRange> TASK_INNER_STEPS = range("task.inner_steps", c -> c.task().innerSteps());
    /** Truncation length k. */
    public static final Key<IntRange> TASK_TRUNCATION = range("task.truncation", c -> c.task().truncation());
    /** Distortions of the images meta-training tasks draw. */
    public static final Key<String> TASK_AUGMENTATION = add(new Key<>("task.augmentation",
            "one of " + String.join(", ", TaskDistributionConfig.AUGMENTATIONS), s -> s,
            TaskDistributionConfig.AUGMENTATIONS::contains, c -> c.task().augmentation(), s -> s))
            .olderRecords("none");
    /** Datasets meta-training tasks are drawn from, with weights. */
    public static final Key<DatasetMix> TASK_DATASETS = add(new Key<>("task.datasets",
            "name[:weight],... with names from " + String.join(", ", DatasetMix.NAMES)
                    + ", each once, weights > 0 (e.g. glyphs:0.8,alphabet:0.2)",
            DatasetMix::parseOrNull, m -> true, c -> c.task().datasets(), DatasetMix::toString))
            .olderRecords("alphabet");
    /** Tasks in progress at once (pool slots), or one per worker. */
    public static final Key<Integer> TASK_POOL = add(new Key<>("task.pool",
            "workers (one task per worker) or an integer >= 1 (tasks in progress, served in rounds, each in a seeded order)",
            ConfigKeys::poolOrNull, p -> p >= 0, c -> c.task().pool(),
            p -> p == TaskDistributionConfig.POOL_WORKERS ? "workers" : Integer.toString(p)))
            .olderRecords("workers").neutralAtOlderValue();
    /** Whether each slot's first task starts at a random fraction of its inner length. */
    public static final Key<Boolean> TASK_STAGGER = add(new Key<>("task.stagger", "true or false",
            ConfigKeys::bool, b -> true, c -> c.task().stagger(), b -> Boolean.toString(b)))
            .olderRecords("false").neutralAtOlderValue();

    // Outer optimiser.
    /** Adam learning rate. */
    public static final Key<Double> OUTER_LR = real("outer.lr", "a number > 0", v -> v > 0, c -> c.outer().lr());
    /** Adam β1. */
    public static final Key<Double> OUTER_BETA1 = real("outer.beta1", "a number in [0, 1)", v -> v >= 0 && v < 1,
            c -> c.outer().beta1())
            .olderRecords("0.9");
    /** Adam β2. */
    public static final Key<Double> OUTER_BETA2 = real("outer.beta2", "a number in [0, 1)", v -> v >= 0 && v < 1,
            c -> c.outer().beta2())
            .olderRecords("0.999");
    /** Adam ε. */
    public static final Key<Double> OUTER_EPS = real("outer.eps", "a number > 0", v -> v > 0, c -> c.outer().eps())
            .olderRecords("1e-8");
    /** Global-norm clip. */
    public static final Key<Double> OUTER_CLIP_NORM = real("outer.clip_norm", "a number > 0", v -> v > 0,
            c -> c.outer().clipNorm());
    /** Meta-gradients per outer step. */
    public static final Key<Integer> OUTER_BATCH = integer("outer.batch", 1, "meta-gradients per outer step",
            c -> c.outer().batch());
    /** Outer steps between checkpoints. */
    public static final Key<Integer> OUTER_CHECKPOINT_EVERY = integer("outer.checkpoint_every", 1,
            "outer steps between checkpoints", c -> c.outer().checkpointEvery())
            .olderRecords("50");
    /** Outer steps between held-out evaluations. */
    public static final Key<Integer> OUTER_EVAL_EVERY = integer("outer.eval_every", 1,
            "outer steps between held-out evaluations", c -> c.outer().evalEvery())
            .olderRecords("50");
    /** Meta-gradient estimator. */
    public static final Key<Estimator> OUTER_ESTIMATOR = add(new Key<>("outer.estimator",
            "one of backprop, es, pes", Estimator::parseOrNull, e -> true, c -> c.outer().estimator(),
            Estimator::key))
            .olderRecords("backprop").neutralAtOlderValue();
    /** σ of the forward estimators. */
    public static final Key<Double> OUTER_SIGMA = real("outer.sigma",
            "a number > 0 (standard deviation of the perturbations of theta)", v -> v > 0, c -> c.outer().sigma())
            .olderRecords("0.01").neutralAtOlderValue();
    /** Antithetic pairs per task and truncation. */
    public static final Key<Integer> OUTER_PAIRS = integer("outer.pairs", 1,
            "antithetic pairs per task and truncation", c -> c.outer().pairs())
            .olderRecords("1").neutralAtOlderValue();
    /** Truncation length of the forward estimators. */
    public static final Key<IntRange> OUTER_FORWARD_TRUNCATION = range("outer.forward_truncation",
            c -> c.outer().forwardTruncation())
            .olderRecords("20..50").neutralAtOlderValue();
    /** Where θ starts: the meta-initialisation or the hand-designed learner. */
    public static final Key<ThetaInit> OUTER_INIT = add(new Key<>("outer.init",
            "meta or hebbian (theta at the start of meta-training: docs/METHOD.md#theta-init or #hand-init)",
            ThetaInit::parseOrNull, i -> true, c -> c.outer().init(), ThetaInit::key))
            .olderRecords("meta").neutralAtOlderValue();

    private static final Set<String> NAMES;

    static {
        Set<String> n = new LinkedHashSet<>();
        TABLE.forEach(k -> n.add(k.name()));
        NAMES = Collections.unmodifiableSet(n);
    }

    private ConfigKeys() {}

    /** @return every key in file order */
    public static List<Key<?>> all() {
        return Collections.unmodifiableList(TABLE);
    }

    /** @return every key name, in file order */
    public static Set<String> names() {
        return NAMES;
    }

    /**
     * Reads and checks every key, then composes the config.
     *
     * @param name config name recorded in the result and named in messages
     * @param m every key of the table, as text
     * @return the config
     * @throws BadInputException naming the first missing, malformed or meaningless key
     */
    public static ExperimentConfig fromProperties(String name, Map<String, String> m) {
        Map<Key<?>, Object> v = new LinkedHashMap<>();
        for (Key<?> k : TABLE) {
            String text = m.get(k.name());
            if (text == null) {
                throw new BadInputException("config " + name + ": missing key '" + k.name() + "'");
            }
            v.put(k, k.parse(name, text));
        }
        int[] hidden = get(v, BASE_HIDDEN);
        int[] widths = new int[hidden.length + 2];
        widths[0] = get(v, BASE_INPUT);
        System.arraycopy(hidden, 0, widths, 1, hidden.length);
        widths[widths.length - 1] = get(v, BASE_TOP);
        try {
            GraphConfig graph = new GraphConfig(new BaseModelConfig(widths, get(v, BASE_ACTIVATION)),
                    new RuleConfig(get(v, RULE_HIDDEN), get(v, RULE_DELTA), get(v, RULE_TOP_WIDTH),
                            get(v, RULE_GRAD_CHANNELS), get(v, RULE_TOP_KERNEL), get(v, RULE_KERNEL),
                            get(v, RULE_V_SHARES_W)),
                    new ObjectiveConfig(get(v, OBJECTIVE_CLASSES), get(v, OBJECTIVE_SUPPORT), get(v, OBJECTIVE_QUERY),
                            get(v, OBJECTIVE_LAMBDA)),
                    get(v, INNER_BATCH), get(v, INNER_ETA));
            TaskDistributionConfig task = new TaskDistributionConfig(get(v, TASK_HIDDEN_LAYERS),
                    get(v, TASK_HIDDEN_WIDTH), get(v, TASK_INNER_STEPS), get(v, TASK_TRUNCATION),
                    get(v, TASK_AUGMENTATION), get(v, TASK_DATASETS), get(v, TASK_POOL), get(v, TASK_STAGGER));
            OuterConfig outer = new OuterConfig(get(v, OUTER_LR), get(v, OUTER_BETA1), get(v, OUTER_BETA2),
                    get(v, OUTER_EPS), get(v, OUTER_CLIP_NORM), get(v, OUTER_BATCH), get(v, OUTER_CHECKPOINT_EVERY),
                    get(v, OUTER_EVAL_EVERY), get(v, OUTER_ESTIMATOR), get(v, OUTER_SIGMA), get(v, OUTER_PAIRS),
                    get(v, OUTER_FORWARD_TRUNCATION), get(v, OUTER_INIT));
            return new ExperimentConfig(name, graph, task, outer);
        } catch (IllegalArgumentException e) {
            // The records' own checks are a backstop; the table above should have caught it.
            throw new BadInputException("config " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a config recorded by an earlier version (a θ card, a run folder): like
     * {@link #fromProperties}, but a key added since then takes the value its table entry
     * assumes for older records (the outer optimiser's newer keys; none of them changes what a
     * rule computes).
     *
     * @param name config name
     * @param recorded the recorded keys
     * @return the config
     */
    public static ExperimentConfig fromRecord(String name, Map<String, String> recorded) {
        Map<String, String> m = new LinkedHashMap<>(recorded);
        for (Key<?> k : TABLE) {
            if (k.olderRecords != null) {
                m.putIfAbsent(k.name(), k.olderRecords);
            }
        }
        return fromProperties(name, m);
    }

    /**
     * Checks every value of a config built in code (e.g. with another base model) by the same
     * rules the loader applies.
     *
     * @param c the config
     * @return c
     * @throws BadInputException naming the first key whose value means nothing
     */
    public static ExperimentConfig validate(ExperimentConfig c) {
        for (Key<?> k : TABLE) {
            k.check(c);
        }
        return c;
    }

    /**
     * @param c a config
     * @return every key and its value in the file format, in table order
     */
    public static Map<String, String> toProperties(ExperimentConfig c) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Key<?> k : TABLE) {
            m.put(k.name(), k.format(c));
        }
        return m;
    }

    /** Keys that only the forward estimators read. */
    private static final Set<String> FORWARD_ONLY = Set.of("outer.sigma", "outer.pairs", "outer.forward_truncation");

    /**
     * What identifies a run's config (its checkpoints record a digest of it): every key in table
     * order, except the keys added with the estimators and the task pool while they hold the
     * values that mean what their absence meant (σ, pairs and the forward truncation whenever the
     * estimator is backprop, which reads none of them), so that a run started before those keys
     * existed is resumed by a version that has them.
     *
     * @param c a config
     * @return the keys and values that identify it
     */
    public static Map<String, String> identity(ExperimentConfig c) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Key<?> k : TABLE) {
            String v = k.format(c);
            boolean unused = FORWARD_ONLY.contains(k.name()) && c.outer().estimator() == Estimator.BACKPROP;
            if (!(k.neutral && (unused || v.equals(k.canonicalOlderValue())))) {
                m.put(k.name(), v);
            }
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    private static <T> T get(Map<Key<?>, Object> v, Key<T> k) {
        return (T) v.get(k);
    }

    private static <T> Key<T> add(Key<T> k) {
        TABLE.add(k);
        return k;
    }

    private static Key<Integer> integer(String name, int min, String why, Function<ExperimentConfig, Integer> read) {
        return add(new Key<>(name, "an integer >= " + min + " (" + why + ")", Integer::valueOf, v -> v >= min, read,
                String::valueOf));
    }

    private static Key<Integer> oddKernel(String name, Function<ExperimentConfig, Integer> read) {
        return add(new Key<>(name, "an odd integer >= 1 (SAME padding must be symmetric)", Integer::valueOf,
                v -> v >= 1 && v % 2 == 1, read, String::valueOf));
    }

    private static Key<Double> real(String name, String allowed, Predicate<Double> valid,
                                    Function<ExperimentConfig, Double> read) {
        return add(new Key<>(name, allowed, ConfigKeys::finite, valid, read, d -> Double.toString(d)));
    }

    private static Key<IntRange> range(String name, Function<ExperimentConfig, IntRange> read) {
        return add(new Key<>(name, "lo..hi (or one number) with 1 <= lo <= hi", ConfigKeys::rangeOrNull,
                r -> r.lo() >= 1, read, IntRange::toString));
    }

    private static Double finite(String text) {
        double d = Double.parseDouble(text);
        return Double.isFinite(d) ? d : null;
    }

    private static Boolean bool(String text) {
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> null;
        };
    }

    private static Integer poolOrNull(String text) {
        if (text.equals("workers")) {
            return TaskDistributionConfig.POOL_WORKERS;
        }
        int n = Integer.parseInt(text);
        return n >= 1 ? n : null;
    }

    private static IntRange rangeOrNull(String text) {
        int dots = text.indexOf("..");
        int lo = Integer.parseInt((dots < 0 ? text : text.substring(0, dots)).trim());
        int hi = dots < 0 ? lo : Integer.parseInt(text.substring(dots + 2).trim());
        return lo <= hi ? new IntRange(lo, hi) : null;
    }

    private static int[] intList(String text) {
        if (text.isEmpty()) {
            return new int[0];
        }
        String[] parts = text.split(",", -1);
        int[] w = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            w[i] = Integer.parseInt(parts[i].trim());
        }
        return w;
    }

    private static String joinInts(int[] a) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < a.length; i++) {
            sb.append(i == 0 ? "" : ",").append(a[i]);
        }
        return sb.toString();
    }

    private static int[] hidden(BaseModelConfig base) {
        int[] w = base.widths();
        return Arrays.copyOfRange(w, 1, w.length - 1);
    }
}
