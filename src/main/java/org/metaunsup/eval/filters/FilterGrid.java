package org.metaunsup.eval.filters;

import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.DefaultXYZDataset;
import org.metaunsup.io.AtomicFiles;

/**
 * Draws first-layer filters as one image grid with JFreeChart: one row per trained base model
 * (for 3-channel data four rows: each channel in grey, then the channels as one colour image),
 * one column per unit. Each filter is scaled by its own largest |w| so that shape, not size,
 * shows: grey 0.5 is zero, white the largest positive weight, black the largest negative one.
 * The plot's paint scale decodes a packed RGB value per pixel, so grey and colour rows share one
 * dataset.
 */
public final class FilterGrid {

    private final String title;
    private final int channels;
    private final int height;
    private final int width;
    private final List<String> rowLabels = new ArrayList<>();
    private final List<int[][]> rows = new ArrayList<>();

    /**
     * @param title figure title
     * @param channels image channels (1 or 3)
     * @param height image height
     * @param width image width
     */
    public FilterGrid(String title, int channels, int height, int width) {
        this.title = title;
        this.channels = channels;
        this.height = height;
        this.width = width;
    }

    /**
     * Adds the rows of one base model's filters.
     *
     * @param label row label
     * @param filters [units][channels·height·width], channel-major
     * @return this
     */
    public FilterGrid add(String label, float[][] filters) {
        if (channels == 1) {
            rowLabels.add(label);
            rows.add(pixels(filters, c -> c, false));
            return this;
        }
        String[] names = {"R", "G", "B"};
        for (int c = 0; c < channels; c++) {
            int ch = c;
            rowLabels.add(label + " · " + (c < names.length ? names[c] : "ch" + c));
            rows.add(pixels(filters, k -> ch, false));
        }
        rowLabels.add(label + " · colour");
        rows.add(pixels(filters, k -> k, true));
        return this;
    }

    private interface Channel {
        int of(int k);
    }

    /** Packed RGB per unit and pixel: grey from one channel, or colour from the first three. */
    private int[][] pixels(float[][] filters, Channel channel, boolean colour) {
        int hw = height * width;
        int[][] out = new int[filters.length][hw];
        for (int u = 0; u < filters.length; u++) {
            float[] f = filters[u];
            double max = 1e-30;
            for (float v : f) {
                max = Math.max(max, Math.abs(v));
            }
            for (int p = 0; p < hw; p++) {
                if (colour) {
                    int rgb = 0;
                    for (int c = 0; c < 3; c++) {
                        rgb = (rgb << 8) | level(f[c * hw + p] / max);
                    }
                    out[u][p] = rgb;
                } else {
                    int g = level(f[channel.of(0) * hw + p] / max);
                    out[u][p] = (g << 16) | (g << 8) | g;
                }
            }
        }
        return out;
    }

    private static int level(double v) {
        return (int) Math.round(255 * Math.max(0, Math.min(1, 0.5 + 0.5 * v)));
    }

    /**
     * @return PNG bytes
     * @throws IOException on encoding failure
     */
    public byte[] png() throws IOException {
        System.setProperty("java.awt.headless", "true");
        ImageIO.setUseCache(false);
        int units = rows.isEmpty() ? 0 : rows.get(0).length;
        int n = 0;
        for (int[][] r : rows) {
            n += r.length * height * width;
        }
        double[] x = new double[n];
        double[] y = new double[n];
        double[] z = new double[n];
        int i = 0;
        // Row r and unit u are the integer coordinates; a pixel sits inside its cell, one
        // pixel's gap left on each side so neighbouring filters stay apart.
        for (int r = 0; r < rows.size(); r++) {
            for (int u = 0; u < rows.get(r).length; u++) {
                for (int py = 0; py < height; py++) {
                    for (int px = 0; px < width; px++) {
                        x[i] = u - 0.5 + (px + 1.0) / (width + 1);
                        y[i] = r - 0.5 + (py + 1.0) / (height + 1);
                        z[i] = rows.get(r)[u][py * width + px];
                        i++;
                    }
                }
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("filters", new double[][] {x, y, z});
        XYBlockRenderer renderer = new XYBlockRenderer();
        renderer.setBlockWidth(1.0 / (width + 1));
        renderer.setBlockHeight(1.0 / (height + 1));
        renderer.setPaintScale(new PackedRgb());
        NumberAxis unitAxis = new NumberAxis("first-layer unit");
        unitAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        unitAxis.setRange(-0.5, units - 0.5);
        SymbolAxis rowAxis = new SymbolAxis(null, rowLabels.toArray(new String[0]));
        rowAxis.setInverted(true);
        rowAxis.setGridBandsVisible(false);
        rowAxis.setRange(-0.5, rows.size() - 0.5);
        XYPlot plot = new XYPlot(data, unitAxis, rowAxis, renderer);
        plot.setBackgroundPaint(new Color(235, 235, 235));
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        JFreeChart chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        chart.setTitle(new TextTitle(title, new Font(Font.SANS_SERIF, Font.BOLD, 14)));
        chart.setBackgroundPaint(Color.WHITE);
        int cell = Math.max(3, 64 / Math.max(height, width));
        int longest = rowLabels.stream().mapToInt(String::length).max().orElse(0);
        int w = 80 + 7 * longest + units * (width + 1) * cell;
        int h = 110 + rows.size() * (height + 1) * cell;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ChartUtils.writeChartAsPNG(bytes, chart, w, h);
        return bytes.toByteArray();
    }

    /**
     * @param file PNG path, written atomically
     * @throws IOException on failure
     */
    public void writePng(Path file) throws IOException {
        AtomicFiles.write(file, png());
    }

    /** The z value of a block is its packed RGB colour. */
    private static final class PackedRgb implements PaintScale {
        @Override
        public double getLowerBound() {
            return 0;
        }

        @Override
        public double getUpperBound() {
            return 0xFFFFFF;
        }

        @Override
        public Paint getPaint(double value) {
            return new Color((int) value);
        }
    }

    /**
     * Roughness of a filter image: the mean squared difference of horizontally and vertically
     * neighbouring pixels over twice the variance. About 1 for white noise (an untrained random
     * filter), well below 1 for smooth, stroke-like structure.
     *
     * @param f one channel's pixels, row-major
     * @param height image height
     * @param width image width
     * @return roughness (NaN for a constant image)
     */
    public static double roughness(float[] f, int height, int width) {
        double mean = 0;
        for (float v : f) {
            mean += v;
        }
        mean /= f.length;
        double var = 0;
        for (float v : f) {
            var += (v - mean) * (v - mean);
        }
        var /= f.length;
        double diff = 0;
        int pairs = 0;
        for (int yy = 0; yy < height; yy++) {
            for (int xx = 0; xx < width; xx++) {
                double v = f[yy * width + xx];
                if (xx + 1 < width) {
                    diff += Math.pow(v - f[yy * width + xx + 1], 2);
                    pairs++;
                }
                if (yy + 1 < height) {
                    diff += Math.pow(v - f[(yy + 1) * width + xx], 2);
                    pairs++;
                }
            }
        }
        return var == 0 ? Double.NaN : diff / pairs / (2 * var);
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
