package org.metaunsup.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.metaunsup.io.AtomicFiles;

/**
 * Learning-curve figures with JFreeChart: one or more stacked panels sharing the step axis, each
 * line a mean with a shaded ±1 standard-error band ({@link DeviationRenderer}). Written as PNG,
 * headless. A method keeps its colour in every figure.
 */
public final class CurveChart {

    /**
     * One line with its band.
     *
     * @param id method id (fixes the colour)
     * @param label legend text
     * @param x abscissae
     * @param y means
     * @param err band half-widths (standard errors)
     */
    public record Series(String id, String label, double[] x, double[] y, double[] err) {}

    private record Panel(String yLabel, List<Series> series) {}

    // "pca" came last: appended, so that every older method keeps its colour.
    private static final List<String> ORDER = List.of("rule", "rule-init", "none", "raw", "vae", "beta-vae",
            "supervised", "pca");
    private static final Color[] PALETTE = {
        new Color(214, 39, 40), new Color(255, 127, 14), new Color(127, 127, 127), new Color(140, 86, 75),
        new Color(31, 119, 180), new Color(23, 190, 207), new Color(44, 160, 44), new Color(148, 103, 189),
    };

    private final String title;
    private final String xLabel;
    private final List<Panel> panels = new ArrayList<>();

    /**
     * @param title figure title
     * @param xLabel step axis label
     */
    public CurveChart(String title, String xLabel) {
        this.title = title;
        this.xLabel = xLabel;
    }

    /**
     * @param yLabel the panel's value axis label
     * @param series its lines
     * @return this
     */
    public CurveChart panel(String yLabel, List<Series> series) {
        panels.add(new Panel(yLabel, List.copyOf(series)));
        return this;
    }

    /**
     * @param id a method id
     * @return its colour (known methods fixed, others by hash)
     */
    public static Color colour(String id) {
        int i = ORDER.indexOf(id);
        return PALETTE[i >= 0 ? i : Math.floorMod(id.hashCode(), PALETTE.length)];
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
        // ImageIO's disk cache registers a shutdown hook per stream, which throws while the JVM
        // shuts down, exactly when an interrupted run writes its figure; memory is enough here.
        ImageIO.setUseCache(false);
        NumberAxis steps = new NumberAxis(xLabel);
        steps.setAutoRangeIncludesZero(true);
        steps.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(steps);
        plot.setGap(12);
        for (Panel p : panels) {
            YIntervalSeriesCollection data = new YIntervalSeriesCollection();
            DeviationRenderer r = new DeviationRenderer(true, false);
            int k = 0;
            for (Series s : p.series()) {
                YIntervalSeries ys = new YIntervalSeries(s.label());
                for (int i = 0; i < s.x().length; i++) {
                    double e = s.err() == null ? 0 : s.err()[i];
                    ys.add(s.x()[i], s.y()[i], s.y()[i] - e, s.y()[i] + e);
                }
                data.addSeries(ys);
                Color c = colour(s.id());
                r.setSeriesPaint(k, c);
                r.setSeriesFillPaint(k, c);
                r.setSeriesStroke(k, new BasicStroke(2f));
                k++;
            }
            r.setAlpha(0.18f);
            NumberAxis value = new NumberAxis(p.yLabel());
            value.setAutoRangeIncludesZero(false);
            XYPlot sub = new XYPlot(data, null, value, r);
            sub.setBackgroundPaint(Color.WHITE);
            sub.setDomainGridlinePaint(new Color(220, 220, 220));
            sub.setRangeGridlinePaint(new Color(220, 220, 220));
            plot.add(sub, 1);
        }
        JFreeChart chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setTitle(new TextTitle(title, new Font(Font.SANS_SERIF, Font.BOLD, 15)));
        chart.setBackgroundPaint(Color.WHITE);
        // Each panel repeats the same methods; one legend entry per method is enough.
        if (panels.size() > 1) {
            chart.removeLegend();
            plot.setFixedLegendItems(((XYPlot) plot.getSubplots().get(0)).getLegendItems());
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
}
