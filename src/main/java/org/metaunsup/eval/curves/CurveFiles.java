package org.metaunsup.eval.curves;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.metaunsup.eval.CurveChart;
import org.metaunsup.eval.CurvePoint;
import org.metaunsup.io.AtomicFiles;
import org.metaunsup.report.FigureIndex;

/**
 * Writes the result files of a learning-curve run: {@code curves.csv}, {@code points.csv},
 * {@code curves.png} (ridge accuracy, logistic accuracy and meta-objective panels with ±se bands),
 * {@code summary.csv} (the table at steps 0, 100, 1,000 and the last step), {@code summary.txt}
 * and {@code figures.json}, the index that {@code report} reads to pair each figure with the
 * numbers behind it.
 */
public final class CurveFiles {

    private CurveFiles() {}

    /**
     * @param table aggregated curves
     * @return steps of the summary table: 0, 100, 1,000 and the last measured step, those measured
     */
    public static List<Integer> summarySteps(CurveTable table) {
        TreeSet<Integer> measured = new TreeSet<>();
        for (String m : table.methods()) {
            table.rows(m).forEach(r -> measured.add(r.step()));
        }
        TreeSet<Integer> s = new TreeSet<>();
        for (int want : new int[] {0, 100, 1000}) {
            if (measured.contains(want)) {
                s.add(want);
            }
        }
        if (!measured.isEmpty()) {
            s.add(measured.last());
        }
        return new ArrayList<>(s);
    }

    /**
     * @param table aggregated curves
     * @return summary.csv: per method and summary step, mean and se of every metric
     */
    public static String summaryCsv(CurveTable table) {
        StringBuilder sb = new StringBuilder(CurveTable.HEADER.replace("method,", "method,label,")).append('\n');
        for (int step : summarySteps(table)) {
            for (String m : table.methods()) {
                CurveTable.Row r = table.at(m, step);
                if (r == null || r.step() != step) {
                    continue;
                }
                sb.append(m).append(",\"").append(table.label(m).replace("\"", "'")).append("\",")
                        .append(step).append(',').append(r.seeds());
                for (CurvePoint.Metric k : CurvePoint.Metric.values()) {
                    sb.append(String.format(Locale.ROOT, ",%.4f,%.4f", r.values().get(k).mean(), r.values().get(k).se()));
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    /**
     * Writes every file.
     *
     * @param dir run folder
     * @param table aggregated curves
     * @param title figure title
     * @param protocol the protocol text (stated in summary.txt and the figure index)
     * @param complete false when the run was stopped early
     * @throws IOException on write failure
     */
    public static void write(Path dir, CurveTable table, String title, String protocol, boolean complete)
            throws IOException {
        table.write(dir);
        String summary = summaryCsv(table);
        AtomicFiles.writeString(dir.resolve("summary.csv"), summary);
        StringBuilder txt = new StringBuilder(title).append('\n');
        txt.append(complete ? "" : "STOPPED EARLY: the numbers below are what was measured before the stop.\n");
        txt.append("protocol: ").append(protocol).append("\n\n");
        txt.append(String.format(Locale.ROOT, "%-12s %6s %5s  %-17s %-17s %-17s%n", "method", "step", "seeds",
                "ridge acc", "logistic acc", "meta-objective"));
        for (String line : summary.split("\n")) {
            if (line.startsWith("method,")) {
                continue;
            }
            String[] f = line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)");
            txt.append(String.format(Locale.ROOT, "%-12s %6s %5s  %-17s %-17s %-17s%n", f[0], f[2], f[3],
                    f[6] + " ± " + f[7], f[8] + " ± " + f[9], f[4] + " ± " + f[5]));
        }
        txt.append("\nmethods:\n");
        for (String m : table.methods()) {
            txt.append("  ").append(m).append(": ").append(table.label(m)).append('\n');
        }
        txt.append("files: curves.csv, points.csv, curves.png, summary.csv, config.properties, manifest.json\n");
        AtomicFiles.writeString(dir.resolve("summary.txt"), txt.toString());
        new FigureIndex()
                .figure("curves.png", "curves.csv", title, "Mean ± standard error over seeds (shaded). Protocol: "
                        + protocol)
                .table("summary.csv", "Summary at steps " + summarySteps(table))
                .text("summary.txt")
                .write(dir);
        // The figure last: the numbers are on disk even if drawing fails.
        CurveChart chart = new CurveChart(title, "training steps (inner steps for the rule)");
        chart.panel(CurvePoint.Metric.RIDGE_ACCURACY.title(), table.series(CurvePoint.Metric.RIDGE_ACCURACY));
        chart.panel(CurvePoint.Metric.LOGISTIC_ACCURACY.title(), table.series(CurvePoint.Metric.LOGISTIC_ACCURACY));
        chart.panel(CurvePoint.Metric.META_LOSS.title(), table.series(CurvePoint.Metric.META_LOSS));
        chart.writePng(dir.resolve("curves.png"), 900, 1050);
    }
}
