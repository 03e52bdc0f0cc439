package org.metaunsup.eval.transfer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.metaunsup.config.IntRange;
import org.metaunsup.eval.CurveChart;
import org.metaunsup.eval.CurvePoint;
import org.metaunsup.eval.MeanSe;
import org.metaunsup.eval.curves.CurveTable;
import org.metaunsup.io.AtomicFiles;
import org.metaunsup.report.FigureIndex;

/**
 * Writes the result files of an architecture-transfer study ({@link TransferStudy}):
 * {@code transfer.csv} (one row per axis, architecture, method and measured step),
 * {@code transfer.png} (ridge accuracy after N steps against width and against depth, ±se bars,
 * the meta-training range shaded), {@code summary.txt} and {@code figures.json}, the index that
 * {@code report} reads to pair the figure with its numbers. Safe to call again after every
 * architecture: each call rewrites every file from what has been measured so far.
 */
public final class TransferFiles {

    /** CSV header of {@code transfer.csv}. */
    public static final String HEADER = "axis,width,depth,method,step,seeds,ridge_accuracy_mean,ridge_accuracy_se,"
            + "logistic_accuracy_mean,logistic_accuracy_se,meta_loss_mean,meta_loss_se,seconds";

    /** Metric order of the CSV columns after {@code seeds}. */
    private static final CurvePoint.Metric[] COLUMNS = {
        CurvePoint.Metric.RIDGE_ACCURACY, CurvePoint.Metric.LOGISTIC_ACCURACY, CurvePoint.Metric.META_LOSS,
    };

    /**
     * What the files say about the study besides its numbers.
     *
     * @param title figure title and first line of the summary
     * @param protocol the protocol sentence ({@link org.metaunsup.eval.EvalProtocol#describe})
     * @param rule the rule's provenance
     * @param steps N, the step the figure shows
     * @param widthRange hidden widths meta-training drew from (shaded)
     * @param depthRange hidden-layer counts meta-training drew from (shaded)
     * @param rangeSource where the two ranges come from (e.g. "the theta file's card")
     */
    public record Description(String title, String protocol, String rule, int steps, IntRange widthRange,
                              IntRange depthRange, String rangeSource) {}

    private TransferFiles() {}

    /**
     * @param measured the architectures measured so far
     * @param labels legend text per method id, in display order
     * @return {@code transfer.csv}: header plus one row per axis, architecture, method and step
     */
    public static String csv(List<TransferStudy.Measured> measured, Map<String, String> labels) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (TransferStudy.Measured m : measured) {
            CurveTable t = new CurveTable(m.points(), labels);
            for (String method : t.methods()) {
                for (CurveTable.Row r : t.rows(method)) {
                    sb.append(m.point().axis().id()).append(',').append(m.point().width()).append(',')
                            .append(m.point().depth()).append(',').append(method).append(',').append(r.step())
                            .append(',').append(r.seeds());
                    for (CurvePoint.Metric k : COLUMNS) {
                        MeanSe v = r.values().get(k);
                        sb.append(String.format(Locale.ROOT, ",%.6f,%.6f", v.mean(), v.se()));
                    }
                    sb.append(String.format(Locale.ROOT, ",%.3f%n", m.seconds()));
                }
            }
        }
        return sb.toString();
    }

    /**
     * @param measured the architectures measured so far
     * @param labels legend text per method id
     * @param axis a sweep
     * @param metric the plotted metric
     * @param step the plotted step
     * @return one series per method: x = the swept value, y = the mean at {@code step}, err = its se
     *     (architectures not measured at that step are left out)
     */
    public static List<CurveChart.Series> series(List<TransferStudy.Measured> measured, Map<String, String> labels,
                                                 TransferStudy.Axis axis, CurvePoint.Metric metric, int step) {
        Map<String, List<double[]>> byMethod = new LinkedHashMap<>();
        labels.keySet().forEach(id -> byMethod.put(id, new ArrayList<>()));
        for (TransferStudy.Measured m : measured) {
            if (m.point().axis() != axis) {
                continue;
            }
            CurveTable t = new CurveTable(m.points(), labels);
            for (String method : t.methods()) {
                CurveTable.Row r = t.at(method, step);
                if (r != null && r.step() == step) {
                    MeanSe v = r.values().get(metric);
                    byMethod.computeIfAbsent(method, k -> new ArrayList<>())
                            .add(new double[] {m.point().swept(), v.mean(), v.se()});
                }
            }
        }
        List<CurveChart.Series> out = new ArrayList<>();
        byMethod.forEach((method, pts) -> {
            pts.sort((a, b) -> Double.compare(a[0], b[0]));
            double[] x = pts.stream().mapToDouble(p -> p[0]).toArray();
            double[] y = pts.stream().mapToDouble(p -> p[1]).toArray();
            double[] e = pts.stream().mapToDouble(p -> p[2]).toArray();
            out.add(new CurveChart.Series(method, labels.getOrDefault(method, method), x, y, e));
        });
        return out;
    }

    /**
     * Writes every file.
     *
     * @param dir run folder
     * @param measured the architectures measured so far
     * @param labels legend text per method id, in display order
     * @param d the study's description
     * @param complete false while running, when stopped early or after a failure
     * @throws IOException on write failure
     */
    public static void write(Path dir, List<TransferStudy.Measured> measured, Map<String, String> labels,
                             Description d, boolean complete) throws IOException {
        AtomicFiles.writeString(dir.resolve("transfer.csv"), csv(measured, labels));
        AtomicFiles.writeString(dir.resolve("summary.txt"), summary(measured, labels, d, complete));
        new FigureIndex().figure("transfer.png", "transfer.csv", d.title(), "Few-shot ridge accuracy after " + d.steps() + " steps against the hidden width (left, "
                + "every hidden layer that wide) and the number of hidden layers (right); mean ± standard error "
                + "over seeds (bars; methods drawn slightly apart at each x). Shaded: the range meta-training drew "
                + "from (" + d.rangeSource() + "). Protocol: " + d.protocol())
                .text("summary.txt")
                .write(dir);
        // The figure last: the numbers are on disk even if drawing fails.
        CurvePoint.Metric ridge = CurvePoint.Metric.RIDGE_ACCURACY;
        // Each axis label names what its sweep holds fixed.
        String widthAxis = "hidden width (log2 axis)";
        String depthAxis = "hidden layers";
        for (TransferStudy.Measured m : measured) {
            if (m.point().axis() == TransferStudy.Axis.WIDTH) {
                widthAxis = "hidden width, " + m.point().depth() + " hidden layers (log2 axis)";
            } else {
                depthAxis = "hidden layers, each " + m.point().width() + " wide";
            }
        }
        new TransferChart(d.title(), ridge.title() + " after " + d.steps() + " steps")
                .panel(widthAxis, true, series(measured, labels, TransferStudy.Axis.WIDTH, ridge, d.steps()),
                        d.widthRange().lo(), d.widthRange().hi(), "meta-training widths")
                .panel(depthAxis, false, series(measured, labels, TransferStudy.Axis.DEPTH, ridge, d.steps()),
                        d.depthRange().lo(), d.depthRange().hi(), "meta-training depths")
                .writePng(dir.resolve("transfer.png"), 1200, 560);
    }

    /**
     * @return {@code summary.txt}: what was run, the protocol and a table of ridge accuracy at step
     *     N per architecture and method
     */
    static String summary(List<TransferStudy.Measured> measured, Map<String, String> labels, Description d,
                          boolean complete) {
        StringBuilder txt = new StringBuilder(d.title()).append('\n');
        txt.append(complete ? "" : "INCOMPLETE: the study stopped early, failed or is still running (manifest.json "
                + "says which); the numbers below are what was measured so far.\n");
        txt.append("rule: ").append(d.rule()).append('\n');
        txt.append("meta-training range (").append(d.rangeSource()).append("): hidden width ").append(d.widthRange())
                .append(", hidden layers ").append(d.depthRange()).append('\n');
        txt.append("protocol: ").append(d.protocol()).append("\n\n");
        List<String> methods = new ArrayList<>(labels.keySet());
        txt.append("few-shot ridge accuracy after ").append(d.steps()).append(" steps, mean ± se (seeds):\n");
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-6s %6s %6s", "axis", "width", "depth"));
        methods.forEach(m -> head.append(String.format(Locale.ROOT, "  %-20s", m)));
        txt.append(head).append(String.format(Locale.ROOT, "  %9s%n", "seconds"));
        for (TransferStudy.Measured m : measured) {
            CurveTable t = new CurveTable(m.points(), labels);
            txt.append(String.format(Locale.ROOT, "%-6s %6d %6d", m.point().axis().id(), m.point().width(),
                    m.point().depth()));
            for (String method : methods) {
                CurveTable.Row r = t.at(method, d.steps());
                String cell = "-";
                if (r != null && r.step() == d.steps()) {
                    MeanSe v = r.values().get(CurvePoint.Metric.RIDGE_ACCURACY);
                    cell = String.format(Locale.ROOT, "%.4f ± %.4f (%d)", v.mean(), v.se(), v.n());
                }
                txt.append(String.format(Locale.ROOT, "  %-20s", cell));
            }
            txt.append(String.format(Locale.ROOT, "  %9.1f%s%n", m.seconds(),
                    m.reused() ? " (same architecture as on the other axis, measured once)"
                            : m.complete() ? "" : " (incomplete)"));
        }
        txt.append("\nstep 0, the logistic readout and the meta-objective: transfer.csv\nmethods:\n");
        labels.forEach((id, label) -> txt.append("  ").append(id).append(": ").append(label).append('\n'));
        txt.append("files: transfer.csv, transfer.png, summary.txt, figures.json, config.properties, manifest.json\n");
        return txt.toString();
    }
}
