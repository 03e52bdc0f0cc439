package org.metaunsup.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.metaunsup.io.AtomicFiles;

/**
 * A small line chart with error bars drawn with Java2D (headless), written as PNG. Enough for
 * learning curves; no plotting dependency.
 */
public final class LineChart {

    /**
     * One line: y(x) with a ± band.
     *
     * @param label legend text
     * @param x abscissae
     * @param y means
     * @param err half-widths of the error bars (may be null)
     * @param color line colour
     */
    public record Series(String label, double[] x, double[] y, double[] err, Color color) {}

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();

    /**
     * @param title chart title
     * @param xLabel x axis label
     * @param yLabel y axis label
     */
    public LineChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /**
     * @param s a line to draw
     * @return this
     */
    public LineChart add(Series s) {
        series.add(s);
        return this;
    }

    /**
     * Renders and writes the chart atomically.
     *
     * @param file PNG path
     * @throws IOException on write failure
     */
    public void writePng(Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int w = 720;
        int h = 440;
        int left = 70;
        int right = 180;
        int top = 40;
        int bottom = 55;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        double x0 = Double.MAX_VALUE;
        double x1 = -Double.MAX_VALUE;
        double y0 = Double.MAX_VALUE;
        double y1 = -Double.MAX_VALUE;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                double e = s.err() == null ? 0 : s.err()[i];
                x0 = Math.min(x0, s.x()[i]);
                x1 = Math.max(x1, s.x()[i]);
                y0 = Math.min(y0, s.y()[i] - e);
                y1 = Math.max(y1, s.y()[i] + e);
            }
        }
        if (x1 <= x0) {
            x1 = x0 + 1;
        }
        double pad = Math.max(1e-3, 0.08 * (y1 - y0));
        y0 -= pad;
        y1 += pad;
        int pw = w - left - right;
        int phgt = h - top - bottom;
        g.setColor(new Color(235, 235, 235));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int i = 0; i <= 5; i++) {
            int yy = top + phgt - i * phgt / 5;
            g.setColor(new Color(230, 230, 230));
            g.drawLine(left, yy, left + pw, yy);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, "%.3f", y0 + i * (y1 - y0) / 5), 8, yy + 4);
            int xx = left + i * pw / 5;
            g.drawString(String.format(Locale.ROOT, "%.0f", x0 + i * (x1 - x0) / 5), xx - 10, top + phgt + 18);
        }
        g.setColor(Color.BLACK);
        g.drawRect(left, top, pw, phgt);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, left, 18);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString(xLabel, left + pw / 2 - 40, h - 15);
        g.drawString(yLabel, left + 4, top + 14);
        int legend = top + 10;
        for (Series s : series) {
            g.setColor(s.color());
            g.setStroke(new BasicStroke(2f));
            int px = -1;
            int py = -1;
            for (int i = 0; i < s.x().length; i++) {
                int cx = left + (int) Math.round((s.x()[i] - x0) / (x1 - x0) * pw);
                int cy = top + phgt - (int) Math.round((s.y()[i] - y0) / (y1 - y0) * phgt);
                if (px >= 0) {
                    g.drawLine(px, py, cx, cy);
                }
                if (s.err() != null) {
                    int ey = (int) Math.round(s.err()[i] / (y1 - y0) * phgt);
                    g.setStroke(new BasicStroke(1f));
                    g.drawLine(cx, cy - ey, cx, cy + ey);
                    g.drawLine(cx - 3, cy - ey, cx + 3, cy - ey);
                    g.drawLine(cx - 3, cy + ey, cx + 3, cy + ey);
                    g.setStroke(new BasicStroke(2f));
                }
                px = cx;
                py = cy;
            }
            g.fillRect(left + pw + 12, legend - 8, 14, 4);
            g.setColor(Color.BLACK);
            g.drawString(s.label(), left + pw + 32, legend - 2);
            legend += 20;
        }
        g.dispose();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(img, "png", bytes);
        AtomicFiles.write(file, bytes.toByteArray());
    }
}
