package org.metaunsup.eval.invariance;

import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainCategoryPlot;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;
import org.metaunsup.eval.MeanSe;
import org.metaunsup.io.AtomicFiles;
import org.metaunsup.report.FigureIndex;

/**
 * Writes the result files of an input-order study: {@code invariance.csv} (one row per method and
 * permutation), {@code invariance-points.csv} (every seed), {@code summary.txt} (the verdict:
 * the rule's largest difference between permutations against its standard errors, the baseline's
 * identity vs permuted), {@code figures.json} (read by {@code report}) and {@code invariance.png}
 * (bars per permutation grouped by method, ±1 standard error, one panel per readout).
 */
public final class InvarianceFiles {

    /**
     * What the files say besides the numbers.
     *
     * @param title figure and summary title
     * @param protocol the protocol sentence
     * @param permutations how the permutations were drawn
     * @param baseline how the contrast extractor was trained
     * @param extractorTrainingAccuracy per seed, the extractor head's accuracy on its training images
     * @param complete false when the run was stopped early
     */
    public record Context(String title, String protocol, String permutations, String baseline,
                          List<Double> extractorTrainingAccuracy, boolean complete) {}

    private InvarianceFiles() {}

    /**
     * Writes every file; the figure last, so the numbers are on disk even if drawing fails.
     *
     * @param dir run folder
     * @param table the aggregated numbers
     * @param ctx titles, protocol text, how the run ended
     * @throws IOException on write failure
     */
    public static void write(Path dir, InvarianceTable table, Context ctx) throws IOException {
        AtomicFiles.writeString(dir.resolve("invariance.csv"), table.csv());
        AtomicFiles.writeString(dir.resolve("invariance-points.csv"), table.pointsCsv());
        AtomicFiles.writeString(dir.resolve("summary.txt"), summary(table, ctx));
        new FigureIndex().figure("invariance.png", "invariance.csv", ctx.title(), "Accuracy per input permutation (identity, then random permutations), grouped by method; "
                + "error bars ±1 standard error over seeds. " + ctx.permutations() + " Protocol: " + ctx.protocol())
                .table("invariance-points.csv", "Every seed's numbers")
                .text("summary.txt")
                .write(dir);
        AtomicFiles.write(dir.resolve("invariance.png"), png(table, ctx.title(), 960, 900));
    }

    /**
     * @param table the aggregated numbers
     * @param ctx titles, protocol text, how the run ended
     * @return the text of {@code summary.txt}
     */
    public static String summary(InvarianceTable table, Context ctx) {
        StringBuilder t = new StringBuilder(ctx.title()).append('\n');
        t.append(ctx.complete() ? "" : "STOPPED EARLY: the numbers below are what was measured before the stop.\n");
        t.append("protocol: ").append(ctx.protocol()).append('\n');
        t.append("permutations: ").append(ctx.permutations()).append('\n');
        t.append("baseline ").append(InvarianceStudy.EXTRACTOR).append(": ").append(ctx.baseline()).append('\n');
        t.append("mean ± standard error over seeds; the rule after ").append(table.step()).append(" inner steps\n");
        for (String m : table.methods()) {
            List<InvarianceTable.Row> rows = table.rows(m);
            List<InvarianceTable.Metric> metrics = new ArrayList<>();
            for (InvarianceTable.Metric k : List.of(InvarianceTable.Metric.RIDGE, InvarianceTable.Metric.LOGISTIC,
                    InvarianceTable.Metric.PROTOTYPE)) {
                if (rows.get(0).values().containsKey(k)) {
                    metrics.add(k);
                }
            }
            t.append('\n').append(m).append(": ").append(table.label(m)).append('\n');
            t.append(String.format(Locale.ROOT, "  %-11s %5s", "permutation", "seeds"));
            metrics.forEach(k -> t.append(String.format(Locale.ROOT, "  %-17s", k.title() + " acc")));
            t.append('\n');
            for (InvarianceTable.Row r : rows) {
                t.append(String.format(Locale.ROOT, "  %-11s %5d", InvarianceTable.name(r.permutation()), r.seeds()));
                metrics.forEach(k -> t.append(String.format(Locale.ROOT, "  %-17s", pm(r.values().get(k)))));
                t.append('\n');
            }
            boolean baseline = m.equals(InvarianceStudy.EXTRACTOR) || m.equals(InvarianceStudy.RAW);
            for (InvarianceTable.Metric k : metrics) {
                t.append("  ").append(baseline ? contrast(table, m, k) : spread(table, m, k)).append('\n');
            }
        }
        if (!ctx.extractorTrainingAccuracy().isEmpty()) {
            MeanSe acc = MeanSe.of(ctx.extractorTrainingAccuracy().stream().mapToDouble(Double::doubleValue).toArray());
            t.append(String.format(Locale.ROOT, "%n%s: its own softmax head's accuracy on its labelled training images "
                    + "%s (%d seeds)%n", InvarianceStudy.EXTRACTOR, pm(acc), acc.n()));
        }
        t.append("\nfiles: invariance.csv, invariance-points.csv, invariance.png, figures.json, config.properties, "
                + "manifest.json\n");
        return t.toString();
    }

    private static String spread(InvarianceTable table, String method, InvarianceTable.Metric k) {
        InvarianceTable.Spread s = table.largestDifference(method, k);
        if (s == null) {
            return k.title() + ": fewer than two permutations measured, nothing to compare";
        }
        double ratio = s.combinedSe() > 0 ? s.difference() / s.combinedSe() : Double.POSITIVE_INFINITY;
        String paired = s.paired() == null ? "" : String.format(Locale.ROOT,
                "; paired over the same seeds %s − %s = %s", InvarianceTable.name(s.a()), InvarianceTable.name(s.b()),
                pm(s.paired()));
        return String.format(Locale.ROOT, "%s: largest difference between two permutations' means %.4f (%s vs %s), "
                        + "their standard errors %.4f and %.4f, combined %.4f: %.2f se, %s%s",
                k.title(), s.difference(), InvarianceTable.name(s.a()), InvarianceTable.name(s.b()), s.atA().se(),
                s.atB().se(), s.combinedSe(), ratio, s.within2Se() ? "within 2 se" : "NOT within 2 se", paired);
    }

    private static String contrast(InvarianceTable table, String method, InvarianceTable.Metric k) {
        InvarianceTable.Contrast c = table.identityVsPermuted(method, k);
        if (c == null) {
            return k.title() + ": identity or every permutation missing, nothing to compare";
        }
        return String.format(Locale.ROOT, "%s: identity %s vs permuted %s (mean over %d permutation%s); "
                + "identity − permuted = %s", k.title(), pm(c.identity()), pm(c.permuted()), c.permutations(),
                c.permutations() == 1 ? "" : "s", pm(c.drop()));
    }

    private static String pm(MeanSe v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.4f ± %.4f", v.mean(), v.se());
    }

    /**
     * @param table the aggregated numbers
     * @param title figure title
     * @param width pixels
     * @param height pixels
     * @return the figure as PNG bytes: one panel per readout, methods along the axis, one bar per
     *     permutation with ±se error bars
     * @throws IOException on encoding failure
     */
    static byte[] png(InvarianceTable table, String title, int width, int height) throws IOException {
        System.setProperty("java.awt.headless", "true");
        // As in CurveChart: no ImageIO disk cache, whose shutdown hooks fail while an interrupted run writes.
        ImageIO.setUseCache(false);
        CategoryAxis methods = new CategoryAxis("method");
        methods.setCategoryMargin(0.25);
        CombinedDomainCategoryPlot plot = new CombinedDomainCategoryPlot(methods);
        plot.setGap(14);
        int perms = 0;
        for (String m : table.methods()) {
            perms = Math.max(perms, table.rows(m).stream().mapToInt(InvarianceTable.Row::permutation).max().orElse(0) + 1);
        }
        for (InvarianceTable.Metric k : List.of(InvarianceTable.Metric.RIDGE, InvarianceTable.Metric.LOGISTIC,
                InvarianceTable.Metric.PROTOTYPE)) {
            DefaultStatisticalCategoryDataset data = new DefaultStatisticalCategoryDataset();
            for (int p = 0; p < perms; p++) {
                for (String m : table.methods()) {
                    final int perm = p;
                    InvarianceTable.Row r = table.rows(m).stream().filter(x -> x.permutation() == perm).findFirst().orElse(null);
                    MeanSe v = r == null ? null : r.values().get(k);
                    // Every method in every panel, so the panels share one axis; missing values draw no bar.
                    data.add(v == null ? null : v.mean(), v == null ? null : v.se(), InvarianceTable.name(p), m);
                }
            }
            StatisticalBarRenderer bars = new StatisticalBarRenderer();
            bars.setBarPainter(new StandardBarPainter());
            bars.setShadowVisible(false);
            bars.setItemMargin(0.05);
            bars.setErrorIndicatorPaint(Color.BLACK);
            for (int p = 0; p < perms; p++) {
                bars.setSeriesPaint(p, colour(p));
            }
            NumberAxis value = new NumberAxis(k.title() + " accuracy"
                    + (k == InvarianceTable.Metric.PROTOTYPE ? " (baselines only)" : ""));
            value.setRange(0, 1);
            CategoryPlot sub = new CategoryPlot(data, null, value, bars);
            sub.setBackgroundPaint(Color.WHITE);
            sub.setRangeGridlinePaint(new Color(220, 220, 220));
            plot.add(sub, 1);
        }
        // Every panel has the same series (permutations): one legend entry each is enough.
        plot.setFixedLegendItems(((CategoryPlot) plot.getSubplots().get(0)).getLegendItems());
        JFreeChart chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setTitle(new TextTitle(title, new Font(Font.SANS_SERIF, Font.BOLD, 15)));
        chart.setBackgroundPaint(Color.WHITE);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ChartUtils.writeChartAsPNG(bytes, chart, width, height);
        return bytes.toByteArray();
    }

    /** The identity dark grey; permutations in blues and teals, distinguishable side by side. */
    private static Color colour(int p) {
        if (p == 0) {
            return new Color(60, 60, 60);
        }
        Color[] c = {new Color(31, 119, 180), new Color(23, 190, 207), new Color(106, 61, 154),
            new Color(174, 199, 232), new Color(44, 160, 44), new Color(148, 103, 189), new Color(158, 218, 229)};
        return c[(p - 1) % c.length];
    }
}
