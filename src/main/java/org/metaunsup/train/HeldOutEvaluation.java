package org.metaunsup.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.data.DataSplits;
import org.metaunsup.data.Dataset;
import org.metaunsup.data.Datasets;
import org.metaunsup.data.Glyphs;
import org.metaunsup.eval.CurveChart;
import org.metaunsup.eval.CurvePoint;
import org.metaunsup.eval.EvalData;
import org.metaunsup.eval.EvalProtocol;
import org.metaunsup.eval.Evaluation;
import org.metaunsup.eval.MeanSe;
import org.metaunsup.eval.method.RuleMethod;
import org.metaunsup.io.AtomicFiles;
import org.metaunsup.rule.Theta;
import org.metaunsup.util.Seeds;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The held-out evaluation of meta-training, with fixed seeds so that points are comparable over
 * outer steps (and across runs): the current θ is applied for {@link #innerSteps} inner steps to
 * fresh base models (the config's base architecture) on unlabelled data, then the ridge
 * meta-objective and the 10-shot ridge accuracy are measured on held-out labelled images, mean ±
 * standard error over {@link #seeds} seeds, with the protocol of {@code evaluate}
 * (docs/EVALUATION.md). Two sets: MNIST at the config's image size (unlabelled training split,
 * labelled test split) and the alphabet's <em>test</em> faces (never seen in meta-training; they are
 * both the unlabelled data and the labelled pool, i.e. transductive: the letters of a face are few).
 *
 * <p>Beside them, <b>validation</b>: {@code seeds} fixed 10-way tasks of the glyph corpus's
 * validation scripts (task t: 10 classes of validation script t mod 4, drawn by stream
 * {@code validation-task-t} of {@link #SEED}; one base-model seed each, derived from the same seed,
 * so φ₀, the permutation and every draw are the same at every outer step). Each task's images are
 * its unlabelled data and its labelled pool, as for the alphabet test faces. The validation numbers
 * are mean ± standard error over the tasks. The run's best θ is chosen by the validation ridge
 * accuracy alone (ties: the lower validation meta-objective, then the earlier step) and recorded in
 * {@code best.json}; MNIST and the alphabet test faces are reported beside it, never used to choose.
 *
 * <p>Writes {@code eval.jsonl} / {@code eval.csv} (one row per evaluation) and draws
 * {@code curves.png} (training meta-loss, held-out meta-objective and MNIST accuracy over outer
 * steps).
 */
public final class HeldOutEvaluation implements AutoCloseable {

    /** Seed of every evaluation: fixed, so every outer step is measured on the same draws. */
    public static final long SEED = 20190506L;

    /** Columns of {@code eval.jsonl} / {@code eval.csv}. */
    public static final List<String> COLUMNS = List.of("outer_step", "wall_seconds", "inner_steps", "seeds",
            "mnist_meta_loss", "mnist_meta_loss_se", "mnist_ridge_accuracy", "mnist_ridge_accuracy_se",
            "mnist_logistic_accuracy", "mnist_init_ridge_accuracy", "alphabet_test_meta_loss",
            "alphabet_test_meta_loss_se", "alphabet_test_ridge_accuracy", "validation_meta_loss",
            "validation_meta_loss_se", "validation_ridge_accuracy", "validation_ridge_accuracy_se", "eval_seconds");

    /** File of the run folder naming the best θ by validation. */
    public static final String BEST_FILE = "best.json";

    /** Classes of a validation task (the 10-way of the held-out protocol). */
    static final int VALIDATION_WAYS = 10;

    private final ExperimentConfig config;
    private final DataType dtype;
    private final int innerSteps;
    private final int seeds;
    private final int validationTasks;
    private final int query;
    private final int draws;
    private boolean alphabet = true;
    private MetricsLog log;
    private EvalData mnist;
    private EvalData letters;
    private List<EvalData> validation;
    private Path runDir;
    private Map<String, Object> best;

    /**
     * @param config the run's config (rule widths, base architecture, inner batch, η)
     * @param dtype floating type
     * @param innerSteps inner steps of the rule before measuring (0 disables the evaluation)
     * @param seeds seeds averaged
     * @param query held-out query images per measurement
     * @param draws support draws per measurement
     */
    public HeldOutEvaluation(ExperimentConfig config, DataType dtype, int innerSteps, int seeds, int query, int draws) {
        this(config, dtype, innerSteps, seeds, seeds, query, draws);
    }

    /**
     * With a number of validation tasks of its own (meta-training uses one per seed; a
     * re-measurement of a finished run, {@code heldout}, affords more: task t is of validation
     * script t mod 4, so a multiple of 4 weighs the scripts equally).
     *
     * @param config the run's config (rule widths, base architecture, inner batch, η)
     * @param dtype floating type
     * @param innerSteps inner steps of the rule before measuring (0 disables the evaluation)
     * @param seeds seeds averaged on MNIST and the alphabet test faces
     * @param validationTasks fixed validation tasks
     * @param query held-out query images per measurement
     * @param draws support draws per measurement
     */
    public HeldOutEvaluation(ExperimentConfig config, DataType dtype, int innerSteps, int seeds, int validationTasks,
                             int query, int draws) {
        this.config = config;
        this.dtype = dtype;
        this.innerSteps = innerSteps;
        this.seeds = seeds;
        this.validationTasks = validationTasks;
        this.query = query;
        this.draws = draws;
    }

    /**
     * Leaves the alphabet test faces out (their columns are NaN): a re-measurement that compares
     * θs by validation and MNIST only saves their seeds' inner steps.
     *
     * @return this
     */
    public HeldOutEvaluation withoutAlphabet() {
        alphabet = false;
        return this;
    }

    /** @return whether evaluations run */
    public boolean enabled() {
        return innerSteps > 0;
    }

    /**
     * Opens the files (cut back to a checkpoint's lengths) and loads the data.
     *
     * @param runDir run folder
     * @param lengths file lengths from the checkpoint, or empty
     * @throws IOException on failure
     */
    public void open(Path runDir, Map<String, Long> lengths) throws IOException {
        this.runDir = runDir;
        log = new MetricsLog(runDir, "eval", COLUMNS);
        log.open(lengths);
        if (enabled()) {
            int side = WorkerContext.side(config);
            mnist = EvalData.of(Datasets.load("mnist" + side));
            // The alphabet itself, not the training mix: its test faces are the test whatever tasks train on.
            DataSplits a = Datasets.load("alphabet" + side);
            // The test faces serve as both the unlabelled pool and the labelled held-out set: a sixth of
            // them alone is too few images per letter for 10 shots plus a query set.
            letters = EvalData.of(new DataSplits(a.name() + "-test-faces", a.test(), a.test(), a.files()));
            validation = validationTasks(side, validationTasks);
            // Best so far from the rows kept (a resume cuts eval.jsonl back to its checkpoint).
            best = null;
            for (Map<String, Object> row : log.rows()) {
                consider(row);
            }
            if (best != null) {
                writeBest();
            }
        }
    }

    /**
     * The fixed validation tasks: task t holds {@value #VALIDATION_WAYS} classes of validation
     * script t mod (number of scripts), drawn by stream {@code validation-task-t} of {@link #SEED}.
     *
     * @param side image side
     * @param tasks number of tasks
     * @return one evaluation data set per task (its images are both pools)
     */
    static List<EvalData> validationTasks(int side, int tasks) {
        DataSplits g = Datasets.load("glyphs" + side);
        Dataset v = g.test();
        List<String> scriptOf = Glyphs.classScripts("validation");
        Map<String, List<Integer>> byScript = new TreeMap<>();
        for (int c = 0; c < scriptOf.size(); c++) {
            byScript.computeIfAbsent(scriptOf.get(c), k -> new ArrayList<>()).add(c);
        }
        List<String> scripts = new ArrayList<>(byScript.keySet());
        List<EvalData> out = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            String script = scripts.get(t % scripts.size());
            int[] pool = byScript.get(script).stream().mapToInt(Integer::intValue).toArray();
            SplittableRandom rng = Seeds.stream(SEED, "validation-task-" + t);
            int k = Math.min(VALIDATION_WAYS, pool.length);
            for (int i = 0; i < k; i++) {   // partial Fisher-Yates: k distinct classes
                int j = i + rng.nextInt(pool.length - i);
                int x = pool[i];
                pool[i] = pool[j];
                pool[j] = x;
            }
            int[] classes = Arrays.copyOf(pool, k);
            Dataset sub = v.classSubset("glyphs" + side + "-validation-task" + t + " (" + script + ")",
                    classes);
            out.add(EvalData.of(new DataSplits(sub.name(), sub, sub, g.files())));
        }
        return out;
    }

    /** @return the files' lengths by name */
    Map<String, Long> lengths() throws IOException {
        return log.lengths();
    }

    /**
     * Measures θ and appends a row.
     *
     * @param theta θ
     * @param outerStep its outer step
     * @param wallSeconds run wall time at that step
     * @param stop polled between inner steps: true abandons the measurement
     * @return the row, or null when disabled or stopped
     * @throws IOException on failure
     */
    public Map<String, Object> evaluate(Theta theta, long outerStep, double wallSeconds, BooleanSupplier stop)
            throws IOException {
        if (!enabled()) {
            return null;
        }
        long t0 = System.nanoTime();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("outer_step", outerStep);
        row.put("wall_seconds", wallSeconds);
        row.put("inner_steps", innerSteps);
        row.put("seeds", seeds);
        List<CurvePoint> m = measure(theta, mnist, Math.min(query, mnist.heldOutCount() / 2), stop);
        row.put("mnist_meta_loss", at(m, innerSteps, CurvePoint.Metric.META_LOSS).mean());
        row.put("mnist_meta_loss_se", at(m, innerSteps, CurvePoint.Metric.META_LOSS).se());
        row.put("mnist_ridge_accuracy", at(m, innerSteps, CurvePoint.Metric.RIDGE_ACCURACY).mean());
        row.put("mnist_ridge_accuracy_se", at(m, innerSteps, CurvePoint.Metric.RIDGE_ACCURACY).se());
        row.put("mnist_logistic_accuracy", at(m, innerSteps, CurvePoint.Metric.LOGISTIC_ACCURACY).mean());
        row.put("mnist_init_ridge_accuracy", at(m, 0, CurvePoint.Metric.RIDGE_ACCURACY).mean());
        List<CurvePoint> a = alphabet ? measure(theta, letters, Math.min(query, letters.heldOutCount() / 2), stop)
                : List.of();
        row.put("alphabet_test_meta_loss", at(a, innerSteps, CurvePoint.Metric.META_LOSS).mean());
        row.put("alphabet_test_meta_loss_se", at(a, innerSteps, CurvePoint.Metric.META_LOSS).se());
        row.put("alphabet_test_ridge_accuracy", at(a, innerSteps, CurvePoint.Metric.RIDGE_ACCURACY).mean());
        double[][] v = measureValidation(theta, stop);
        MeanSe vl = MeanSe.of(v[0]);
        MeanSe va = MeanSe.of(v[1]);
        row.put("validation_meta_loss", vl.mean());
        row.put("validation_meta_loss_se", vl.se());
        row.put("validation_ridge_accuracy", va.mean());
        row.put("validation_ridge_accuracy_se", va.se());
        row.put("eval_seconds", Math.round((System.nanoTime() - t0) / 1e7) / 100.0);
        if (stop.getAsBoolean()) {
            return null;   // cut short: a partial measurement is not a point of the curve
        }
        FaultPoint.EVALUATION.reach();
        log.append(row);
        if (consider(row)) {
            writeBest();
        }
        return row;
    }

    /**
     * The validation measurement of θ: the meta-objective and the 10-shot ridge accuracy after
     * {@link #innerSteps} inner steps on each fixed validation task (one base-model seed each).
     *
     * @param theta θ
     * @param stop polled between inner steps
     * @return {meta-objective per task, ridge accuracy per task}
     */
    double[][] measureValidation(Theta theta, BooleanSupplier stop) {
        double[][] out = new double[2][validation.size()];
        for (int t = 0; t < validation.size(); t++) {
            EvalData d = validation.get(t);
            List<CurvePoint> pts = measure(theta, d, Math.min(query, d.heldOutCount() / 2), 1,
                    Seeds.derive(SEED, "validation-" + t), stop);
            out[0][t] = at(pts, innerSteps, CurvePoint.Metric.META_LOSS).mean();
            out[1][t] = at(pts, innerSteps, CurvePoint.Metric.RIDGE_ACCURACY).mean();
        }
        return out;
    }

    /** Makes a row the best when its validation accuracy beats the best's (ties: lower loss, then earlier). */
    private boolean consider(Map<String, Object> row) {
        if (!(row.get("validation_ridge_accuracy") instanceof Number acc)
                || !(row.get("validation_meta_loss") instanceof Number loss)
                || !Double.isFinite(acc.doubleValue()) || !(row.get("outer_step") instanceof Number step)) {
            return false;   // a row of an older run folder, or a failed measurement
        }
        if (best != null) {
            double ba = ((Number) best.get("validation_ridge_accuracy")).doubleValue();
            double bl = ((Number) best.get("validation_meta_loss")).doubleValue();
            if (acc.doubleValue() < ba || (acc.doubleValue() == ba && loss.doubleValue() >= bl)) {
                return false;
            }
        }
        Map<String, Object> b = new LinkedHashMap<>();
        long s = step.longValue();
        b.put("chosen_by", "validation_ridge_accuracy (higher is better; ties: lower validation_meta_loss, then the "
                + "earlier step): " + validation.size() + " fixed 10-way tasks of the glyph validation scripts, "
                + innerSteps + " inner steps; MNIST and alphabet test faces are reported, never used to choose");
        b.put("outer_step", s);
        b.put("theta_file", MetaTrainer.THETA_FOLDER + "/" + String.format("step-%08d", s) + ThetaExport.EXTENSION);
        b.put("theta_file_note", "θ files are written at checkpoints (outer.checkpoint_every); with outer.eval_every "
                + "a multiple of it every evaluated step has one");
        b.put("validation_ridge_accuracy", acc.doubleValue());
        b.put("validation_ridge_accuracy_se", row.get("validation_ridge_accuracy_se"));
        b.put("validation_meta_loss", loss.doubleValue());
        b.put("validation_meta_loss_se", row.get("validation_meta_loss_se"));
        b.put("mnist_ridge_accuracy", row.get("mnist_ridge_accuracy"));
        b.put("alphabet_test_ridge_accuracy", row.get("alphabet_test_ridge_accuracy"));
        best = b;
        return true;
    }

    private void writeBest() throws IOException {
        AtomicFiles.writeString(runDir.resolve(BEST_FILE),
                new com.fasterxml.jackson.databind.ObjectMapper()
                        .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsString(best) + "\n");
    }

    /** @return the best evaluation so far by validation (as written to best.json), or null */
    public Map<String, Object> best() {
        return best == null ? null : Collections.unmodifiableMap(best);
    }

    private List<CurvePoint> measure(Theta theta, EvalData data, int q, BooleanSupplier stop) {
        return measure(theta, data, q, seeds, SEED, stop);
    }

    private List<CurvePoint> measure(Theta theta, EvalData data, int q, int nSeeds, long seed, BooleanSupplier stop) {
        ExperimentConfig cfg = config.withInputWidth(data.dim());
        BaseModelConfig arch = cfg.base();
        int shots = 10;
        EvalProtocol p = new EvalProtocol(innerSteps, innerSteps, nSeeds, shots, Math.max(data.classes(), q), draws,
                config.objective().lambda());
        RuleMethod rule = new RuleMethod("rule", "rule", theta, arch.topWidth());
        return new Evaluation(cfg, arch, data, p, seed, dtype).run(List.of(rule), null, stop).points();
    }

    private static MeanSe at(List<CurvePoint> points, int step, CurvePoint.Metric metric) {
        double[] v = points.stream().filter(p -> p.step() == step).mapToDouble(p -> p.value(metric)).toArray();
        return v.length == 0 ? new MeanSe(0, Double.NaN, Double.NaN) : MeanSe.of(v);
    }

    /**
     * Draws {@code curves.png} from the metrics and evaluation files so far.
     *
     * @param runDir run folder
     * @param title figure title
     * @param warn told each damaged row left out of the figure
     * @throws IOException on failure
     */
    public void drawCurves(Path runDir, String title, Consumer<String> warn) throws IOException {
        Path metricsFile = runDir.resolve("metrics.jsonl");
        if (!Files.isRegularFile(metricsFile)) {
            return;
        }
        MetricsLog.Read trainRead = MetricsLog.read(metricsFile);
        MetricsLog.Read heldRead = MetricsLog.read(runDir.resolve("eval.jsonl"));
        trainRead.skipped().forEach(w -> warn.accept("curves.png: " + w));
        heldRead.skipped().forEach(w -> warn.accept("curves.png: " + w));
        List<Map<String, Object>> train = trainRead.rows();
        List<Map<String, Object>> held = heldRead.rows();
        List<CurveChart.Series> loss = new ArrayList<>();
        loss.add(series("rule", "training tasks (task.datasets), per outer step", train, "meta_loss", null));
        List<CurveChart.Series> heldLoss = new ArrayList<>();
        List<CurveChart.Series> acc = new ArrayList<>();
        if (!held.isEmpty()) {
            heldLoss.add(series("rule", "MNIST (held out)", held, "mnist_meta_loss", "mnist_meta_loss_se"));
            heldLoss.add(series("vae", "alphabet test faces", held, "alphabet_test_meta_loss",
                    "alphabet_test_meta_loss_se"));
            heldLoss.add(series("supervised", "validation scripts (chooses θ)", held, "validation_meta_loss",
                    "validation_meta_loss_se"));
            acc.add(series("rule", "rule after " + innerSteps + " inner steps", held, "mnist_ridge_accuracy",
                    "mnist_ridge_accuracy_se"));
            acc.add(series("none", "random init features", held, "mnist_init_ridge_accuracy", null));
        }
        CurveChart chart = new CurveChart("meta-training " + title, "outer step")
                .panel("meta-loss (training)", loss);
        if (!held.isEmpty()) {
            chart.panel("held-out meta-objective", heldLoss).panel("MNIST 10-shot ridge accuracy", acc);
        }
        chart.writePng(runDir.resolve("curves.png"), 900, held.isEmpty() ? 420 : 900);
    }

    private static CurveChart.Series series(String id, String label, List<Map<String, Object>> rows, String key,
                                            String errKey) {
        List<double[]> pts = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            if (r.get(key) instanceof Number y && r.get("outer_step") instanceof Number x) {
                double e = errKey != null && r.get(errKey) instanceof Number n ? n.doubleValue() : 0;
                pts.add(new double[] {x.doubleValue(), y.doubleValue(), e});
            }
        }
        double[] xs = pts.stream().mapToDouble(p -> p[0]).toArray();
        double[] ys = pts.stream().mapToDouble(p -> p[1]).toArray();
        double[] es = pts.stream().mapToDouble(p -> p[2]).toArray();
        return new CurveChart.Series(id, label, xs, ys, es);
    }

    @Override
    public void close() throws IOException {
        if (log != null) {
            log.close();
        }
    }
}
