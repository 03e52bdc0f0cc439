package org.metaunsup.eval.invariance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.metaunsup.eval.MeanSe;

/**
 * The numbers of an input-order study ({@link InvarianceStudy}) aggregated over seeds: per method
 * and permutation the mean ± standard error of every metric, at the rule's last step; and the two
 * comparisons the study is about: the largest difference between two permutations' means against
 * their standard errors, and identity vs permuted.
 */
public final class InvarianceTable {

    /** Header of {@code invariance.csv}: one row per method and permutation. */
    public static final String HEADER = "method,permutation,seeds,ridge_accuracy_mean,ridge_accuracy_se,"
            + "logistic_accuracy_mean,logistic_accuracy_se,prototype_accuracy_mean,prototype_accuracy_se,"
            + "meta_loss_mean,meta_loss_se,step,permutation_seed";
    /** Header of {@code invariance-points.csv}: every seed's numbers. */
    public static final String POINTS_HEADER = "method,permutation,seed,step,meta_loss,ridge_accuracy,"
            + "logistic_accuracy,prototype_accuracy";

    /** The measured quantities. */
    public enum Metric {
        /** ridge query accuracy */
        RIDGE("ridge_accuracy", "ridge"),
        /** logistic query accuracy */
        LOGISTIC("logistic_accuracy", "logistic"),
        /** prototype (nearest class mean) query accuracy; not measured for the rule */
        PROTOTYPE("prototype_accuracy", "prototype"),
        /** ridge meta-objective */
        META_LOSS("meta_loss", "meta-objective");

        private final String column;
        private final String title;

        Metric(String column, String title) {
            this.column = column;
            this.title = title;
        }

        /** @return CSV column stem */
        public String column() {
            return column;
        }

        /** @return short name for text and axes */
        public String title() {
            return title;
        }

        double of(InvarianceStudy.Point p) {
            return switch (this) {
                case RIDGE -> p.ridgeAccuracy();
                case LOGISTIC -> p.logisticAccuracy();
                case PROTOTYPE -> p.prototypeAccuracy();
                case META_LOSS -> p.metaLoss();
            };
        }
    }

    /**
     * One aggregated row.
     *
     * @param method method id
     * @param permutation 0 = identity, p ≥ 1
     * @param values mean ± se per metric over the same seeds; a metric not measured is absent
     */
    public record Row(String method, int permutation, Map<Metric, MeanSe> values) {
        /** @return number of seeds behind the row */
        public int seeds() {
            return values.get(Metric.RIDGE).n();
        }
    }

    /**
     * The largest difference between two permutations' means of one metric.
     *
     * @param metric the metric
     * @param a one permutation
     * @param b the other
     * @param atA mean ± se at a
     * @param atB mean ± se at b
     * @param paired the per-seed differences a − b (the seeds share φ₀, data and draws), or null with
     *     fewer than two common seeds
     */
    public record Spread(Metric metric, int a, int b, MeanSe atA, MeanSe atB, MeanSe paired) {
        /** @return |mean_a − mean_b| */
        public double difference() {
            return Math.abs(atA.mean() - atB.mean());
        }

        /** @return √(se_a² + se_b²), the standard error of the difference of two independent means */
        public double combinedSe() {
            return Math.hypot(atA.se(), atB.se());
        }

        /** @return whether the difference is at most 2 combined standard errors */
        public boolean within2Se() {
            return difference() <= 2 * combinedSe();
        }
    }

    /**
     * Identity against the permutations, over seeds.
     *
     * @param identity mean ± se at the identity
     * @param permuted mean ± se over seeds of each seed's mean over the permutations ≥ 1
     * @param drop mean ± se over seeds of identity − that mean
     * @param permutations how many permutations ≥ 1 are behind it
     */
    public record Contrast(MeanSe identity, MeanSe permuted, MeanSe drop, int permutations) {}

    private final Map<String, String> labels = new LinkedHashMap<>();
    private final int step;
    private final List<Long> permutationSeeds;
    private final List<InvarianceStudy.Point> points;
    /** method → permutation → seed → point (at the step compared). */
    private final Map<String, TreeMap<Integer, TreeMap<Integer, InvarianceStudy.Point>>> cells = new LinkedHashMap<>();

    /**
     * @param points measurements, any order
     * @param labels legend text per method id, in display order
     * @param step the rule's step compared (N); points of methods that do not train (step −1) are
     *     all taken
     * @param permutationSeeds seed of permutation p at index p − 1
     */
    public InvarianceTable(List<InvarianceStudy.Point> points, Map<String, String> labels, int step,
                           List<Long> permutationSeeds) {
        this.points = List.copyOf(points);
        this.labels.putAll(labels);
        this.step = step;
        this.permutationSeeds = List.copyOf(permutationSeeds);
        for (String id : labels.keySet()) {
            cells.put(id, new TreeMap<>());
        }
        for (InvarianceStudy.Point p : points) {
            if (p.step() >= 0 && p.step() != step) {
                continue;
            }
            this.labels.putIfAbsent(p.method(), p.method());
            cells.computeIfAbsent(p.method(), k -> new TreeMap<>())
                    .computeIfAbsent(p.permutation(), k -> new TreeMap<>()).put(p.seed(), p);
        }
        cells.values().removeIf(Map::isEmpty);
    }

    /**
     * @param p 0..P
     * @return "identity" or "perm" + p (the CSV's permutation column)
     */
    public static String name(int p) {
        return p == 0 ? "identity" : "perm" + p;
    }

    /** @return methods with at least one row, in display order */
    public List<String> methods() {
        return new ArrayList<>(cells.keySet());
    }

    /**
     * @param method a method id
     * @return its legend text
     */
    public String label(String method) {
        return labels.getOrDefault(method, method);
    }

    /** @return the rule's step compared */
    public int step() {
        return step;
    }

    /**
     * @param method a method id
     * @return its rows, by permutation
     */
    public List<Row> rows(String method) {
        List<Row> out = new ArrayList<>();
        cells.getOrDefault(method, new TreeMap<>()).forEach((p, bySeed) -> out.add(row(method, p, bySeed)));
        return out;
    }

    private static Row row(String method, int p, Map<Integer, InvarianceStudy.Point> bySeed) {
        Map<Metric, MeanSe> v = new LinkedHashMap<>();
        for (Metric m : Metric.values()) {
            double[] x = bySeed.values().stream().mapToDouble(m::of).toArray();
            if (m == Metric.PROTOTYPE && Arrays.stream(x).allMatch(Double::isNaN)) {
                continue;
            }
            v.put(m, MeanSe.of(x));
        }
        return new Row(method, p, v);
    }

    /**
     * @param method a method id
     * @param metric a metric it has
     * @return the largest difference between any two permutations' means, or null with fewer
     *     than two permutations measured (or the metric absent)
     */
    public Spread largestDifference(String method, Metric metric) {
        List<Row> rows = rows(method);
        Spread best = null;
        for (int i = 0; i < rows.size(); i++) {
            for (int j = i + 1; j < rows.size(); j++) {
                MeanSe a = rows.get(i).values().get(metric);
                MeanSe b = rows.get(j).values().get(metric);
                if (a == null || b == null) {
                    continue;
                }
                Spread s = new Spread(metric, rows.get(i).permutation(), rows.get(j).permutation(), a, b,
                        paired(method, metric, rows.get(i).permutation(), rows.get(j).permutation()));
                if (best == null || s.difference() > best.difference()) {
                    best = s;
                }
            }
        }
        return best;
    }

    private MeanSe paired(String method, Metric metric, int a, int b) {
        TreeMap<Integer, InvarianceStudy.Point> pa = cells.get(method).get(a);
        TreeMap<Integer, InvarianceStudy.Point> pb = cells.get(method).get(b);
        List<Double> d = new ArrayList<>();
        pa.forEach((seed, p) -> {
            if (pb.containsKey(seed)) {
                d.add(metric.of(p) - metric.of(pb.get(seed)));
            }
        });
        return d.size() < 2 ? null : MeanSe.of(d.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /**
     * @param method a method id
     * @param metric a metric it has
     * @return identity vs the permutations over the seeds measured at both, or null when the
     *     identity or every permutation is missing
     */
    public Contrast identityVsPermuted(String method, Metric metric) {
        TreeMap<Integer, TreeMap<Integer, InvarianceStudy.Point>> byPerm = cells.get(method);
        if (byPerm == null || !byPerm.containsKey(0) || byPerm.size() < 2) {
            return null;
        }
        List<Double> id = new ArrayList<>();
        List<Double> perm = new ArrayList<>();
        List<Double> drop = new ArrayList<>();
        byPerm.get(0).forEach((seed, p0) -> {
            double sum = 0;
            int n = 0;
            for (Map.Entry<Integer, TreeMap<Integer, InvarianceStudy.Point>> e : byPerm.entrySet()) {
                InvarianceStudy.Point q = e.getKey() > 0 ? e.getValue().get(seed) : null;
                if (q != null) {
                    sum += metric.of(q);
                    n++;
                }
            }
            if (n > 0) {
                id.add(metric.of(p0));
                perm.add(sum / n);
                drop.add(metric.of(p0) - sum / n);
            }
        });
        if (id.isEmpty() || Double.isNaN(id.get(0))) {
            return null;
        }
        return new Contrast(meanSe(id), meanSe(perm), meanSe(drop), byPerm.size() - 1);
    }

    private static MeanSe meanSe(List<Double> v) {
        return MeanSe.of(v.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** @return {@code invariance.csv}: header plus one row per method and permutation */
    public String csv() {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (String m : methods()) {
            for (Row r : rows(m)) {
                sb.append(m).append(',').append(name(r.permutation())).append(',').append(r.seeds());
                for (Metric k : Metric.values()) {
                    MeanSe v = r.values().get(k);
                    sb.append(v == null ? ",," : String.format(Locale.ROOT, ",%.6f,%.6f", v.mean(), v.se()));
                }
                boolean trains = cells.get(m).get(r.permutation()).values().iterator().next().step() >= 0;
                sb.append(',').append(trains ? Integer.toString(step) : "");
                sb.append(',').append(r.permutation() == 0 ? "" : Long.toString(permutationSeeds.get(r.permutation() - 1)));
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    /** @return {@code invariance-points.csv}: every measurement (the rule's step 0 too) */
    public String pointsCsv() {
        StringBuilder sb = new StringBuilder(POINTS_HEADER).append('\n');
        for (InvarianceStudy.Point p : points) {
            sb.append(p.method()).append(',').append(name(p.permutation())).append(',').append(p.seed()).append(',')
                    .append(p.step() >= 0 ? Integer.toString(p.step()) : "")
                    .append(String.format(Locale.ROOT, ",%.6f,%.6f,%.6f,", p.metaLoss(), p.ridgeAccuracy(),
                            p.logisticAccuracy()))
                    .append(Double.isNaN(p.prototypeAccuracy()) ? ""
                            : String.format(Locale.ROOT, "%.6f", p.prototypeAccuracy()))
                    .append('\n');
        }
        return sb.toString();
    }
}
