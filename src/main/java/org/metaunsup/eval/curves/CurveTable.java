package org.metaunsup.eval.curves;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.metaunsup.eval.CurveChart;
import org.metaunsup.eval.CurvePoint;
import org.metaunsup.eval.MeanSe;
import org.metaunsup.io.AtomicFiles;

/**
 * Learning curves aggregated over seeds: for every method and measured step the mean ± standard
 * error of each metric, and the files that hold them: {@code curves.csv} (one row per method and
 * step) and {@code points.csv} (every seed's numbers).
 */
public final class CurveTable {

    /**
     * One aggregated row.
     *
     * @param method method id
     * @param step training steps
     * @param values mean ± se per metric (all over the same seeds)
     */
    public record Row(String method, int step, Map<CurvePoint.Metric, MeanSe> values) {
        /** @return number of seeds behind the row */
        public int seeds() {
            return values.values().iterator().next().n();
        }
    }

    /** CSV header of {@code curves.csv}. */
    public static final String HEADER = "method,step,seeds,meta_loss_mean,meta_loss_se,ridge_accuracy_mean,"
            + "ridge_accuracy_se,logistic_accuracy_mean,logistic_accuracy_se";

    private final Map<String, TreeMap<Integer, Row>> rows = new LinkedHashMap<>();
    private final Map<String, String> labels = new LinkedHashMap<>();
    private final List<CurvePoint> points;

    /**
     * @param points measurements (any order)
     * @param labels legend text per method id, in display order
     */
    public CurveTable(List<CurvePoint> points, Map<String, String> labels) {
        this.points = List.copyOf(points);
        this.labels.putAll(labels);
        Map<String, TreeMap<Integer, List<CurvePoint>>> grouped = new LinkedHashMap<>();
        for (String id : labels.keySet()) {
            grouped.put(id, new TreeMap<>());
        }
        for (CurvePoint p : points) {
            grouped.computeIfAbsent(p.method(), k -> new TreeMap<>())
                    .computeIfAbsent(p.step(), k -> new ArrayList<>()).add(p);
            this.labels.putIfAbsent(p.method(), p.method());
        }
        grouped.forEach((method, bySteps) -> {
            TreeMap<Integer, Row> r = new TreeMap<>();
            bySteps.forEach((step, ps) -> {
                Map<CurvePoint.Metric, MeanSe> v = new LinkedHashMap<>();
                for (CurvePoint.Metric m : CurvePoint.Metric.values()) {
                    v.put(m, MeanSe.of(ps.stream().mapToDouble(p -> p.value(m)).toArray()));
                }
                r.put(step, new Row(method, step, v));
            });
            if (!r.isEmpty()) {
                rows.put(method, r);
            }
        });
    }

    /** @return method ids that have at least one row, in display order */
    public List<String> methods() {
        return new ArrayList<>(rows.keySet());
    }

    /**
     * @param method a method id
     * @return its legend text
     */
    public String label(String method) {
        return labels.getOrDefault(method, method);
    }

    /**
     * @param method a method id
     * @return its rows by step
     */
    public List<Row> rows(String method) {
        return new ArrayList<>(rows.getOrDefault(method, new TreeMap<>()).values());
    }

    /**
     * @param method a method id
     * @param step a step
     * @return the row measured at the largest step ≤ {@code step}, or null
     */
    public Row at(String method, int step) {
        TreeMap<Integer, Row> r = rows.get(method);
        if (r == null) {
            return null;
        }
        Map.Entry<Integer, Row> e = r.floorEntry(step);
        return e == null ? null : e.getValue();
    }

    /** @return {@code curves.csv}: header plus one row per method and step */
    public String curvesCsv() {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        rows.forEach((method, r) -> r.values().forEach(row -> {
            sb.append(method).append(',').append(row.step()).append(',').append(row.seeds());
            for (CurvePoint.Metric m : CurvePoint.Metric.values()) {
                MeanSe v = row.values().get(m);
                sb.append(String.format(Locale.ROOT, ",%.6f,%.6f", v.mean(), v.se()));
            }
            sb.append('\n');
        }));
        return sb.toString();
    }

    /** @return {@code points.csv}: every seed's measurements */
    public String pointsCsv() {
        StringBuilder sb = new StringBuilder("method,seed,step,meta_loss,ridge_accuracy,logistic_accuracy\n");
        for (CurvePoint p : points) {
            sb.append(String.format(Locale.ROOT, "%s,%d,%d,%.6f,%.6f,%.6f%n", p.method(), p.seed(), p.step(),
                    p.metaLoss(), p.ridgeAccuracy(), p.logisticAccuracy()));
        }
        return sb.toString();
    }

    /**
     * Writes {@code curves.csv} and {@code points.csv} atomically.
     *
     * @param dir run folder
     * @throws IOException on write failure
     */
    public void write(Path dir) throws IOException {
        AtomicFiles.writeString(dir.resolve("curves.csv"), curvesCsv());
        AtomicFiles.writeString(dir.resolve("points.csv"), pointsCsv());
    }

    /**
     * @param metric which metric
     * @return one chart series per method: mean with a ±se band
     */
    public List<CurveChart.Series> series(CurvePoint.Metric metric) {
        List<CurveChart.Series> out = new ArrayList<>();
        for (String method : methods()) {
            List<Row> r = rows(method);
            double[] x = new double[r.size()];
            double[] y = new double[r.size()];
            double[] e = new double[r.size()];
            for (int i = 0; i < r.size(); i++) {
                x[i] = r.get(i).step();
                y[i] = r.get(i).values().get(metric).mean();
                e[i] = r.get(i).values().get(metric).se();
            }
            out.add(new CurveChart.Series(method, label(method), x, y, e));
        }
        return out;
    }
}
