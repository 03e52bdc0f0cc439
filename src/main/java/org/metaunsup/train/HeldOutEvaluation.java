package org.metaunsup.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.data.DataSplits;
import org.metaunsup.data.Datasets;
import org.metaunsup.eval.CurveChart;
import org.metaunsup.eval.CurvePoint;
import org.metaunsup.eval.EvalData;
import org.metaunsup.eval.EvalProtocol;
import org.metaunsup.eval.Evaluation;
import org.metaunsup.eval.MeanSe;
import org.metaunsup.eval.RuleMethod;
import org.metaunsup.rule.Theta;
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
            "alphabet_test_meta_loss_se", "alphabet_test_ridge_accuracy", "eval_seconds");

    private final ExperimentConfig config;
    private final DataType dtype;
    private final int innerSteps;
    private final int seeds;
    private final int query;
    private final int draws;
    private MetricsLog log;
    private EvalData mnist;
    private EvalData letters;

    /**
     * @param config the run's config (rule widths, base architecture, inner batch, η)
     * @param dtype floating type
     * @param innerSteps inner steps of the rule before measuring (0 disables the evaluation)
     * @param seeds seeds averaged
     * @param query held-out query images per measurement
     * @param draws support draws per measurement
     */
    public HeldOutEvaluation(ExperimentConfig config, DataType dtype, int innerSteps, int seeds, int query, int draws) {
        this.config = config;
        this.dtype = dtype;
        this.innerSteps = innerSteps;
        this.seeds = seeds;
        this.query = query;
        this.draws = draws;
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
    void open(Path runDir, Map<String, Long> lengths) throws IOException {
        log = new MetricsLog(runDir, "eval", COLUMNS);
        log.open(lengths);
        if (enabled()) {
            int side = WorkerContext.side(config);
            mnist = EvalData.of(Datasets.load("mnist" + side));
            DataSplits a = WorkerContext.trainingData(config);
            // The test faces serve as both the unlabelled pool and the labelled held-out set: a sixth of
            // them alone is too few images per letter for 10 shots plus a query set.
            letters = EvalData.of(new DataSplits(a.name() + "-test-faces", a.test(), a.test(), a.files()));
        }
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
    Map<String, Object> evaluate(Theta theta, long outerStep, double wallSeconds, BooleanSupplier stop)
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
        List<CurvePoint> a = measure(theta, letters, Math.min(query, letters.heldOutCount() / 2), stop);
        row.put("alphabet_test_meta_loss", at(a, innerSteps, CurvePoint.Metric.META_LOSS).mean());
        row.put("alphabet_test_meta_loss_se", at(a, innerSteps, CurvePoint.Metric.META_LOSS).se());
        row.put("alphabet_test_ridge_accuracy", at(a, innerSteps, CurvePoint.Metric.RIDGE_ACCURACY).mean());
        row.put("eval_seconds", Math.round((System.nanoTime() - t0) / 1e7) / 100.0);
        if (stop.getAsBoolean()) {
            return null;   // cut short: a partial measurement is not a point of the curve
        }
        FaultPoint.EVALUATION.reach();
        log.append(row);
        return row;
    }

    private List<CurvePoint> measure(Theta theta, EvalData data, int q, BooleanSupplier stop) {
        ExperimentConfig cfg = config.withInputWidth(data.dim());
        BaseModelConfig arch = cfg.base();
        int shots = 10;
        EvalProtocol p = new EvalProtocol(innerSteps, innerSteps, seeds, shots, Math.max(data.classes(), q), draws,
                config.objective().lambda());
        RuleMethod rule = new RuleMethod("rule", "rule", theta, arch.topWidth());
        return new Evaluation(cfg, arch, data, p, SEED, dtype).run(List.of(rule), null, stop).points();
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
    void drawCurves(Path runDir, String title, Consumer<String> warn) throws IOException {
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
        loss.add(series("rule", "training tasks (alphabet train faces), per outer step", train, "meta_loss", null));
        List<CurveChart.Series> heldLoss = new ArrayList<>();
        List<CurveChart.Series> acc = new ArrayList<>();
        if (!held.isEmpty()) {
            heldLoss.add(series("rule", "MNIST (held out)", held, "mnist_meta_loss", "mnist_meta_loss_se"));
            heldLoss.add(series("vae", "alphabet test faces", held, "alphabet_test_meta_loss",
                    "alphabet_test_meta_loss_se"));
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
