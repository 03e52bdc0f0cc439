package org.metaunsup.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.metaunsup.BadInputException;
import org.metaunsup.DivergenceException;
import org.metaunsup.config.ConfigKeys;
import org.metaunsup.config.ConfigLoader;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.report.RunFolder;
import org.metaunsup.rule.Theta;
import org.metaunsup.rule.ThetaSpec;
import org.metaunsup.util.Seeds;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Meta-training of one run folder (docs/METHOD.md#meta-training): workers run truncations through an
 * {@link Engine}; each result is handed to the {@link Learner} as it completes, which applies one
 * Adam step per B gradients. The main thread writes a metrics row per outer step, runs the
 * held-out evaluation every {@code outer.eval_every} steps, and writes a checkpoint (plus θ
 * export and figure) every {@code outer.checkpoint_every} steps, at the last step and when asked
 * to stop.
 *
 * <p>Consistency: a checkpoint is a snapshot taken under the trainer's lock of the learner (with
 * the gradients received but not yet applied) and of each worker's state as of its last result
 * handed in. A worker's truncation still in flight is not in it and is recomputed after a resume;
 * nothing else is lost or counted twice.
 *
 * <p>Reproducibility: every random choice is a function of (seed, worker, counter)
 * ({@link TaskDraws}); with one worker the order of results is fixed, so the same seed gives a
 * bit-identical θ and a resumed run equals a straight one. With several workers the order in which
 * results arrive depends on timing, so θ differs from run to run (docs/TRAINING.md).
 */
public final class MetaTrainer {

    /** Name of the resolved config file in a run folder. */
    public static final String CONFIG_FILE = "config.properties";
    /** θ exports inside a run folder. */
    public static final String THETA_FOLDER = "theta";

    /**
     * What to run.
     *
     * @param runDir the run folder
     * @param config config name or file, or null to take the run folder's own (with resume)
     * @param steps stop after this outer step (0: run until stopped)
     * @param workers N
     * @param engine {@code threads} or {@code spark}
     * @param master Spark master URL (spark only), or null
     * @param resume continue the run folder from its newest good checkpoint
     * @param seed run seed, or null (0 for a new run; the checkpoint's on resume)
     * @param dtype floating type of the graphs
     * @param evalSteps inner steps of the held-out evaluation (0: no evaluation)
     * @param evalSeeds seeds of the held-out evaluation
     */
    public record Options(Path runDir, String config, long steps, int workers, String engine, String master,
                          boolean resume, Long seed, DataType dtype, int evalSteps, int evalSeeds) {

        /**
         * @param runDir run folder
         * @param config config name
         * @param steps target outer step
         * @param workers N
         * @return options for the threads engine, a new run, seed 0, float32, evaluation of 100 steps × 2 seeds
         */
        public static Options threads(Path runDir, String config, long steps, int workers) {
            return new Options(runDir, config, steps, workers, "threads", null, false, null, DataType.FLOAT, 100, 2);
        }

        /** @return a copy that resumes */
        public Options resuming() {
            return new Options(runDir, config, steps, workers, engine, master, true, seed, dtype, evalSteps, evalSeeds);
        }

        /**
         * @param s target outer step
         * @return a copy with that target
         */
        public Options withSteps(long s) {
            return new Options(runDir, config, s, workers, engine, master, resume, seed, dtype, evalSteps, evalSeeds);
        }

        /**
         * @param e engine name
         * @param m master URL
         * @return a copy with that engine
         */
        public Options withEngine(String e, String m) {
            return new Options(runDir, config, steps, workers, e, m, resume, seed, dtype, evalSteps, evalSeeds);
        }

        /**
         * @param innerSteps inner steps (0: none)
         * @param seeds seeds
         * @return a copy with that evaluation
         */
        public Options withEvaluation(int innerSteps, int seeds) {
            return new Options(runDir, config, steps, workers, engine, master, resume, seed, dtype, innerSteps, seeds);
        }

        /**
         * @param s seed
         * @return a copy with that seed
         */
        public Options withSeed(Long s) {
            return new Options(runDir, config, steps, workers, engine, master, resume, s, dtype, evalSteps, evalSeeds);
        }
    }

    /** Told what happens; every method is called from the trainer's main thread. */
    public interface Listener {
        /**
         * @param line one line for the user
         */
        void message(String line);

        /**
         * @param row the metrics of an outer step just applied
         * @param target the outer step the run stops at (0: none)
         */
        void step(MetricsRow row, long target);

        /** @param row a held-out evaluation just measured */
        default void evaluated(Map<String, Object> row) {}
    }

    /** Test hooks; the defaults change nothing. */
    public static final class Hooks {
        /** Applied to every truncation before the learner sees it (e.g. to inject a NaN). */
        public UnaryOperator<Truncation> tap = UnaryOperator.identity();
        /** Replaces the engine ({@code Engine} for the given trainer inputs), or null for the usual one. */
        public Function<MetaTrainer, Engine> engine;
    }

    /**
     * How a run ended.
     *
     * @param step the last outer step applied
     * @param checkpoint the last checkpoint written, or null
     * @param stopped true when stopped by request before the target
     * @param received gradients received over the whole run
     * @param applied gradients applied over the whole run
     * @param dropped non-finite gradients dropped over the whole run
     */
    public record Result(long step, String checkpoint, boolean stopped, long received, long applied, long dropped) {}

    /** Columns of {@code metrics.jsonl} / {@code metrics.csv}. */
    public static final List<String> METRIC_COLUMNS = MetricsRow.COLUMNS;

    private record Snapshot(Learner.State learner, List<WorkerState> workers, double wallSeconds) {}

    private record Event(Learner.Step step, Snapshot snapshot, Theta theta, boolean last, long sessionReceived,
                         long sessionInnerSteps, double wallSeconds) {}

    private final Options options;
    private final ExperimentConfig config;
    private final String configText;
    private final RunProvenance provenance;
    private final Listener listener;
    private final Hooks hooks;
    private final Object lock = new Object();
    private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private long seed;
    private Learner learner;
    private WorkerState[] committed;
    private volatile boolean open = true;
    private volatile Throwable failure;
    private long sessionReceived;
    private long sessionInnerSteps;
    private long sessionStart;
    private double wallOffset;
    private long target;
    private HeldOutEvaluation evaluation;

    /**
     * @param options what to run
     * @param listener progress
     * @param hooks test hooks (may be null)
     * @throws BadInputException for an unusable config, run folder or option
     */
    public MetaTrainer(Options options, Listener listener, Hooks hooks) {
        this.options = options;
        this.listener = listener;
        this.hooks = hooks != null ? hooks : new Hooks();
        if (options.workers() < 1) {
            throw new BadInputException("--workers " + options.workers() + ": must be at least 1");
        }
        if (options.steps() < 0) {
            throw new BadInputException("--steps " + options.steps() + ": must be at least 1 (or omitted)");
        }
        if (!List.of("threads", "spark").contains(options.engine())) {
            throw new BadInputException("--engine " + options.engine() + ": must be threads or spark");
        }
        if (options.master() != null && !options.engine().equals("spark")) {
            throw new BadInputException("--master " + options.master() + ": only with --engine spark");
        }
        if (options.engine().equals("spark")) {
            SparkMaster.check(options.master());
        }
        Path stored = options.runDir().resolve(CONFIG_FILE);
        String name = options.config();
        if (name == null) {
            if (!options.resume() || !Files.isRegularFile(stored)) {
                throw new BadInputException("--config is required (only --resume of a run folder with its "
                        + CONFIG_FILE + " may leave it out)");
            }
            name = stored.toString();
        }
        ExperimentConfig loaded;
        if (options.config() == null || (options.resume() && sameFile(Path.of(name), stored))) {
            // The run's own config.properties (left out, or named by --config as
            // scripts/budget-arm.sh does): the run keeps the name it was started with (figure
            // titles, θ cards), which its manifest records, not "config". An older run's file
            // lacks the keys added since: it is read as a record, where they take the values
            // older records assume.
            ExperimentConfig r = ConfigLoader.loadRecord(name);
            loaded = new ExperimentConfig(RunFolder.recordedConfigName(options.runDir()).orElse(r.name()), r.graph(),
                    r.task(), r.outer());
        } else {
            loaded = ConfigLoader.load(name);
        }
        this.config = loaded;
        WorkerContext.side(config);
        this.configText = configText(config);
        if (options.resume() && options.config() != null) {
            RunResume.checkSameConfig(options.runDir(), config, options.config());
        }
        this.provenance = new RunProvenance(config, options);
    }

    /** @return the run's resolved config */
    public ExperimentConfig config() {
        return config;
    }

    /** @return the options */
    public Options options() {
        return options;
    }

    /** @return the run seed (known once {@link #run} has opened the run folder) */
    public long seed() {
        return seed;
    }

    /** Whether both paths name one existing file (a run folder's config given as --config). */
    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isRegularFile(a) && Files.isRegularFile(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The text whose digest a checkpoint records: the config's identifying keys
     * ({@link ConfigKeys#identity}), so that runs started before the estimator and pool keys resume.
     */
    private static String configText(ExperimentConfig c) {
        StringBuilder sb = new StringBuilder();
        ConfigKeys.identity(c).forEach((k, v) -> sb.append(k).append(" = ").append(v).append('\n'));
        return sb.toString();
    }

    /**
     * Runs until the target step, a stop request or a failure.
     *
     * @param stop polled by the main thread; true checkpoints and returns
     * @return how the run ended
     * @throws IOException when an output cannot be written
     * @throws BadInputException for a run folder that cannot be used
     * @throws DivergenceException when θ would leave the finite numbers
     */
    public Result run(BooleanSupplier stop) throws IOException {
        Path dir = options.runDir();
        RunResume.checkFolder(dir, options.resume());
        // One writer per folder: a second metatrain (or an orphan of a killed launcher) is refused.
        try (RunLock lock = RunLock.acquire(dir)) {
            if (!options.resume() && RunResume.hasRun(dir)) {
                throw new BadInputException("--run-dir " + dir + " was just started by another metatrain");
            }
            return runLocked(dir, stop);
        }
    }

    private Result runLocked(Path dir, BooleanSupplier stop) throws IOException {
        ThetaSpec spec = new ThetaSpec(config.rule(), config.base().topWidth());
        String digest = Checkpoint.sha256(configText.getBytes(StandardCharsets.UTF_8));
        Checkpoint.Found found = options.resume()
                ? RunResume.choose(dir, options.dtype(), digest, options.seed(), listener::message) : null;
        Map<String, Long> lengths = new LinkedHashMap<>();
        List<WorkerState> restored = List.of();
        if (found != null) {
            Checkpoint ck = found.checkpoint();
            seed = ck.seed();
            learner = Learner.restore(spec, config.outer(), ck.learner(), options.dtype());
            restored = ck.workers();
            wallOffset = ck.wallSeconds();
            lengths.putAll(ck.fileLengths());
        } else {
            seed = options.seed() != null ? options.seed() : 0L;
            // outer.init: the meta-initialisation or the hand-designed learner, from the same draw.
            double[] theta0 = Theta.initial(spec, config.outer().init(), Seeds.derive(seed, "theta-init"),
                    DataType.DOUBLE).toDoubles();
            learner = new Learner(spec, config.outer(), theta0, options.dtype());
        }
        target = options.steps();
        if (target > 0 && target <= learner.version()) {
            throw new BadInputException("--steps " + target + ": the run is already at outer step " + learner.version());
        }
        committed = new WorkerState[config.task().poolSize(options.workers())];
        // The pool's serving order is a function of the slots' own states and the seed (SlotQueue),
        // so the order in which the checkpoint lists them does not matter.
        for (WorkerState w : restored) {
            if (w.workerId() >= 0 && w.workerId() < committed.length && committed[w.workerId()] == null) {
                committed[w.workerId()] = w;
            }
        }
        for (int i = 0; i < committed.length; i++) {
            if (committed[i] == null) {
                committed[i] = WorkerState.fresh(i);
            }
        }
        Engine engine = hooks.engine != null ? hooks.engine.apply(this) : createEngine();
        Map<String, Object> extra = provenance.manifest();
        RunFolder run;
        if (options.resume() && Files.isRegularFile(dir.resolve(RunFolder.MANIFEST))) {
            Map<String, Object> entry = new LinkedHashMap<>(extra);
            entry.put("from_checkpoint", found == null ? null : found.name());
            run = RunFolder.resume(dir, entry);
        } else {
            run = RunFolder.create(dir, "metatrain", config, RunProvenance.seeds(seed), extra);
        }
        try (MetricsLog metrics = new MetricsLog(dir, "metrics", METRIC_COLUMNS)) {
            metrics.open(lengths);
            if (options.resume()) {
                long at = found == null ? 0 : found.checkpoint().learner().step();
                if (RunResume.tidy(dir, at, listener::message)) {
                    // A kill came between the checkpoint and its θ export.
                    exportTheta(Theta.fromDoubles(learner.spec(), found.checkpoint().learner().theta(), options.dtype()),
                            at, found.checkpoint().wallSeconds());
                    listener.message("wrote the missing θ file " + ThetaExport.stem(at) + ThetaExport.EXTENSION
                            + " of the checkpoint");
                }
            }
            evaluation = new HeldOutEvaluation(config, options.dtype(), options.evalSteps(), options.evalSeeds(), 1000, 5);
            evaluation.open(dir, lengths);
            Result r;
            try {
                r = loop(engine, metrics, digest, stop);
            } finally {
                evaluation.close();
            }
            run.finish(r.stopped() ? RunFolder.Status.STOPPED : RunFolder.Status.FINISHED,
                    r.stopped() ? "stopped at outer step " + r.step() + "; continue with --resume" : null);
            return r;
        } catch (DivergenceException e) {
            finishQuietly(run, RunFolder.Status.DIVERGED, e);
            throw e;
        } catch (IOException | RuntimeException | Error e) {
            finishQuietly(run, RunFolder.Status.FAILED, e);
            throw e;
        }
    }

    /**
     * Records a failure in the manifest; a manifest that cannot be written (the disk that failed
     * the run is full) must not hide the failure itself, so its error is only attached to it.
     */
    private static void finishQuietly(RunFolder run, RunFolder.Status status, Throwable cause) {
        try {
            run.finish(status, String.valueOf(cause.getMessage()));
        } catch (IOException | RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    private Engine createEngine() {
        if (options.engine().equals("spark")) {
            return SparkSupport.engine(config, seed, options.dtype(), options.master(), options.workers());
        }
        return new ThreadsEngine(config, seed, options.dtype());
    }

    private Result loop(Engine engine, MetricsLog metrics, String digest, BooleanSupplier stop) throws IOException {
        sessionStart = System.nanoTime();
        String lastCheckpoint = null;
        boolean stopped = false;
        listener.message("meta-training " + config.name() + ": " + options.workers() + " worker(s), engine "
                + options.engine() + ", estimator " + config.outer().estimator().key() + ", task pool "
                + committed.length + (committed.length < options.workers() ? " (only " + committed.length
                        + " workers busy)" : "") + ", outer batch " + config.outer().batch() + ", from outer step "
                + learner.version() + (target > 0 ? " to " + target : " until stopped"));
        NativeMemoryGuard memory = NativeMemoryGuard.forThisProcess();
        engine.start(new TrainerSink(), List.of(committed), options.workers());
        try {
            while (true) {
                Event e;
                try {
                    e = events.poll(200, TimeUnit.MILLISECONDS);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", ie);
                }
                if (e != null) {
                    String ck = handle(e, metrics, digest, stop);
                    memory.afterGradient();
                    if (ck != null) {
                        lastCheckpoint = ck;
                    }
                    if (e.last()) {
                        break;
                    }
                    // A stop request is honoured between events too: while gradients keep
                    // arriving the queue never times out, and SIGTERM would wait for the target.
                    if (!stop.getAsBoolean()) {
                        continue;
                    }
                }
                if (failure != null) {
                    break;
                }
                if (stop.getAsBoolean()) {
                    Snapshot snap;
                    synchronized (lock) {
                        open = false;
                        snap = snapshot();
                    }
                    // Rows of steps already applied come first, so the checkpoint's file lengths cover them;
                    // their evaluations and checkpoints are left to the stop checkpoint (a stop must be prompt).
                    for (Event left; (left = events.poll()) != null; ) {
                        handle(left, metrics, digest, () -> true);
                    }
                    lastCheckpoint = writeCheckpoint(snap, metrics, digest, learner.current(), snap.learner().step());
                    stopped = true;
                    listener.message("stopped at outer step " + snap.learner().step() + "; checkpoint " + lastCheckpoint);
                    break;
                }
            }
        } finally {
            synchronized (lock) {
                open = false;
            }
            engine.close();
        }
        if (failure != null) {
            if (failure instanceof RuntimeException re) {
                throw re;
            }
            if (failure instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(failure.getMessage(), failure);
        }
        return new Result(learner.version(), lastCheckpoint, stopped, learner.received(), learner.applied(),
                learner.dropped());
    }

    /** Everything of the run's state, under the lock. */
    private Snapshot snapshot() {
        return new Snapshot(learner.state(), List.of(committed), wallNow());
    }

    private double wallNow() {
        return wallOffset + (System.nanoTime() - sessionStart) / 1e9;
    }

    /**
     * Writes an outer step's row, then its evaluation and checkpoint when due, unless a stop was
     * asked for: then the evaluation is skipped (said on the way) and the checkpoint is left to the
     * stop's own.
     */
    private String handle(Event e, MetricsLog metrics, String digest, BooleanSupplier stop) throws IOException {
        Learner.Step s = e.step();
        double minutes = Math.max(1e-9, (System.nanoTime() - sessionStart) / 60e9);
        MetricsRow row = new MetricsRow(s.step(), round(e.wallSeconds(), 3), s.meanLoss(), s.meanQueryAccuracy(),
                s.gradNorm(), s.clipScale(), s.meanStaleness(), s.maxStaleness(), s.dropped(),
                round(e.sessionReceived() / minutes, 3), round(e.sessionInnerSteps() / (minutes * 60), 3), s.meanK(),
                s.step() * (long) config.outer().batch());
        metrics.append(row.toMap());
        listener.step(row, target);
        if (e.theta() != null && s.step() % config.outer().evalEvery() == 0 && evaluation.enabled()) {
            Map<String, Object> ev = stop.getAsBoolean() ? null : evaluation.evaluate(e.theta(), s.step(), e.wallSeconds(), stop);
            if (ev != null) {
                listener.evaluated(ev);
            } else {
                listener.message("held-out evaluation of outer step " + s.step() + " skipped: stopping");
            }
        }
        if (e.snapshot() != null && !stop.getAsBoolean()) {
            return writeCheckpoint(e.snapshot(), metrics, digest, e.theta(), s.step());
        }
        return null;
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    private String writeCheckpoint(Snapshot snap, MetricsLog metrics, String digest, Theta theta, long step)
            throws IOException {
        Map<String, Long> lengths = new LinkedHashMap<>(metrics.lengths());
        lengths.putAll(evaluation.lengths());
        Checkpoint ck = new Checkpoint(seed, digest, snap.learner(), snap.workers(), snap.wallSeconds(), lengths);
        String name = ck.write(options.runDir());
        exportTheta(Theta.fromDoubles(learner.spec(), snap.learner().theta(), options.dtype()), step, snap.wallSeconds());
        evaluation.drawCurves(options.runDir(), config.name(), listener::message);
        listener.message("checkpoint " + name);
        return name;
    }

    private void exportTheta(Theta theta, long step, double wall) throws IOException {
        ThetaExport.write(options.runDir().resolve(THETA_FOLDER), theta, step, seed, provenance, wall);
    }

    /** The trainer as the engine sees it. */
    private final class TrainerSink implements Engine.Sink {
        @Override
        public Engine.VersionedTheta theta() {
            synchronized (lock) {
                return new Engine.VersionedTheta(learner.current(), learner.version());
            }
        }

        @Override
        public void accept(Truncation t) {
            Truncation tapped = hooks.tap.apply(t);
            synchronized (lock) {
                if (!open) {
                    return;
                }
                committed[tapped.workerId()] = tapped.after();
                sessionReceived++;
                sessionInnerSteps += tapped.innerSteps();
                Learner.Step s;
                try {
                    s = learner.offer(tapped);
                } catch (RuntimeException e) {
                    fail(e);
                    return;
                }
                if (s == null) {
                    return;
                }
                boolean last = target > 0 && s.step() >= target;
                boolean checkpoint = last || s.step() % config.outer().checkpointEvery() == 0;
                boolean eval = s.step() % config.outer().evalEvery() == 0;
                if (last) {
                    open = false;
                }
                events.add(new Event(s, checkpoint ? snapshot() : null, checkpoint || eval ? learner.current() : null,
                        last, sessionReceived, sessionInnerSteps, wallNow()));
            }
        }

        @Override
        public boolean open() {
            return open && failure == null;
        }

        @Override
        public void fail(Throwable error) {
            synchronized (lock) {
                if (failure == null) {
                    failure = error;
                }
                open = false;
            }
        }
    }
}
