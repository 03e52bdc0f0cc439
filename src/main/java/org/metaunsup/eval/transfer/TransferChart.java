package org.metaunsup.eval.transfer;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CombinedRangeXYPlot;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.metaunsup.eval.CurveChart;
import org.metaunsup.io.AtomicFiles;

/**
 * The architecture-transfer figure with JFreeChart: panels side by side sharing one value axis
 * (so accuracies compare across panels), each a swept quantity on its own axis (base-2
 * logarithmic for widths), one line per method with ±1 standard-error bars, and the range
 * meta-training drew that quantity from shaded. Headless PNG; a method keeps the colour it has in
 * every other figure ({@link CurveChart#colour}).
 */
public final class TransferChart {

    private record Panel(String xLabel, boolean log2, List<CurveChart.Series> series, double markLo, double markHi,
                         String markLabel) {}

    /** Horizontal offset between the methods' bars at one x, as a fraction of a unit (log2 units on a log axis). */
    private static final double DODGE = 0.05;

    private final String title;
    private final String yLabel;
    private final List<Panel> panels = new ArrayList<>();

    /**
     * @param title figure title
     * @param yLabel the shared value axis label
     */
    public TransferChart(String title, String yLabel) {
        this.title = title;
        this.yLabel = yLabel;
    }

    /**
     * Adds a panel on the right of the others.
     *
     * @param xLabel its axis label
     * @param log2 base-2 logarithmic axis (for widths) rather than a linear integer one
     * @param series its lines (x = the swept value, y = mean, err = standard error)
     * @param markLo lowest swept value meta-training used (shaded from here)
     * @param markHi highest swept value meta-training used (shaded to here)
     * @param markLabel text of the shaded range
     * @return this
     */
    public TransferChart panel(String xLabel, boolean log2, List<CurveChart.Series> series, double markLo,
                               double markHi, String markLabel) {
        panels.add(new Panel(xLabel, log2, List.copyOf(series), markLo, markHi, markLabel));
        return this;
    }

    /**
     * Renders the figure.
     *
     * @param width pixels
     * @param height pixels
     * @return PNG bytes
     * @throws IOException on encoding failure
     */
    public byte[] png(int width, int height) throws IOException {
        System.setProperty("java.awt.headless", "true");
        // As in CurveChart: no ImageIO disk cache, whose shutdown hook breaks a figure written on Ctrl-C.
        ImageIO.setUseCache(false);
        NumberAxis value = new NumberAxis(yLabel);
        value.setAutoRangeIncludesZero(false);
        CombinedRangeXYPlot plot = new CombinedRangeXYPlot(value);
        plot.setGap(16);
        XYPlot first = null;
        for (Panel p : panels) {
            XYPlot sub = panel(p);
            plot.add(sub, 1);
            first = first == null ? sub : first;
        }
        JFreeChart chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        chart.setTitle(new TextTitle(title, new Font(Font.SANS_SERIF, Font.BOLD, 15)));
        chart.setBackgroundPaint(Color.WHITE);
        if (first != null) {
            // Every panel repeats the same methods: one legend entry per method.
            plot.setFixedLegendItems(first.getLegendItems());
            chart.addLegend(new LegendTitle(plot));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ChartUtils.writeChartAsPNG(bytes, chart, width, height);
        return bytes.toByteArray();
    }

    /**
     * Renders and writes the figure atomically.
     *
     * @param file PNG path
     * @param width pixels
     * @param height pixels
     * @throws IOException on failure
     */
    public void writePng(Path file, int width, int height) throws IOException {
        AtomicFiles.write(file, png(width, height));
    }

    private static XYPlot panel(Panel p) {
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        XYErrorRenderer r = new XYErrorRenderer();
        r.setDefaultLinesVisible(true);
        r.setDrawXError(false);
        r.setCapLength(6);
        double lo = Math.min(p.markLo(), p.markHi());
        double hi = Math.max(p.markLo(), p.markHi());
        int n = p.series().size();
        for (int k = 0; k < n; k++) {
            CurveChart.Series s = p.series().get(k);
            YIntervalSeries ys = new YIntervalSeries(s.label());
            // Methods measured at the same x are drawn a little apart so that their bars do not
            // hide each other; the CSV holds the exact values.
            double shift = (k - (n - 1) / 2.0) * DODGE;
            for (int i = 0; i < s.x().length; i++) {
                double x = p.log2() ? s.x()[i] * Math.pow(2, shift) : s.x()[i] + shift;
                double e = s.err() == null ? 0 : s.err()[i];
                ys.add(x, s.y()[i], s.y()[i] - e, s.y()[i] + e);
                lo = Math.min(lo, s.x()[i]);
                hi = Math.max(hi, s.x()[i]);
            }
            data.addSeries(ys);
            Color c = CurveChart.colour(s.id());
            r.setSeriesPaint(k, c);
            r.setSeriesStroke(k, new BasicStroke(2f));
            // One shape for all: the panels share a drawing supplier, which would otherwise hand
            // the same method different shapes in different panels.
            r.setSeriesShape(k, new Ellipse2D.Double(-3.5, -3.5, 7, 7));
        }
        r.setErrorStroke(new BasicStroke(1.5f));
        ValueAxis axis;
        IntervalMarker mark;
        if (p.log2()) {
            LogAxis log = new LogAxis(p.xLabel());
            log.setBase(2);
            log.setTickUnit(new NumberTickUnit(1));
            log.setNumberFormatOverride(new DecimalFormat("0"));
            log.setRange(lo / Math.sqrt(2), hi * Math.sqrt(2));
            axis = log;
            // A single meta-training width would be a zero-width band: widen it to be seen.
            mark = p.markLo() < p.markHi() ? new IntervalMarker(p.markLo(), p.markHi())
                    : new IntervalMarker(p.markLo() / Math.pow(2, 0.1), p.markHi() * Math.pow(2, 0.1));
        } else {
            NumberAxis linear = new NumberAxis(p.xLabel());
            linear.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
            linear.setRange(lo - 0.6, hi + 0.6);
            axis = linear;
            // Counts are integers: shade each counted value's half-unit either side.
            mark = new IntervalMarker(p.markLo() - 0.5, p.markHi() + 0.5);
        }
        // An opaque light fill behind the data rather than a translucent one: a marker's alpha
        // would fade its label too.
        mark.setPaint(new Color(222, 235, 247));
        mark.setAlpha(1f);
        mark.setLabel(p.markLabel());
        mark.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        mark.setLabelPaint(new Color(60, 90, 130));
        mark.setLabelBackgroundColor(new Color(0, 0, 0, 0));
        mark.setOutlinePaint(null);
        mark.setLabelAnchor(RectangleAnchor.TOP_LEFT);
        mark.setLabelTextAnchor(TextAnchor.TOP_LEFT);
        XYPlot sub = new XYPlot(data, axis, null, r);
        sub.addDomainMarker(mark, Layer.BACKGROUND);
        sub.setBackgroundPaint(Color.WHITE);
        sub.setDomainGridlinePaint(new Color(220, 220, 220));
        sub.setRangeGridlinePaint(new Color(220, 220, 220));
        return sub;
    }
}
