package org.metaunsup.data.alphabet;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.function.Consumer;

/**
 * Rasterises a glyph outline or stroke path MNIST-style: white on black, anti-aliased,
 * scaled (aspect kept) so its larger side fills a {@value #BOX}-pixel box, centred in a
 * {@value #SIZE}x{@value #SIZE} image, values 0..255.
 */
public final class GlyphRaster {

    /** Image side, pixels. */
    public static final int SIZE = 28;
    /** Side of the box the glyph is fitted into (MNIST digits use 20 of 28). */
    public static final double BOX = 20.0;

    private GlyphRaster() {}

    /**
     * Fills a closed outline.
     *
     * @param outline glyph outline in any units
     * @return SIZE*SIZE grey values, or {@code null} if the outline is empty
     */
    public static byte[] fill(Shape outline) {
        Rectangle2D b = outline.getBounds2D();
        if (b.isEmpty() || b.getWidth() <= 0 || b.getHeight() <= 0) {
            return null;
        }
        AffineTransform t = fit(b, BOX);
        return draw(g -> g.fill(t.createTransformedShape(outline)));
    }

    /**
     * Fills a closed outline scaled like {@link #fill} (larger side {@value #BOX} px) but
     * centred by its centre of mass, as MNIST digits are, rather than by its bounding box.
     * Ink pushed past the frame by the shift is clipped (as in MNIST).
     *
     * @param outline glyph outline in any units
     * @return SIZE*SIZE grey values, or {@code null} if the outline is empty
     */
    public static byte[] fillCentredByMass(Shape outline) {
        byte[] first = fill(outline);
        if (first == null) {
            return null;
        }
        double m = 0;
        double mx = 0;
        double my = 0;
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                int v = first[y * SIZE + x] & 0xff;
                m += v;
                mx += v * (x + 0.5);
                my += v * (y + 0.5);
            }
        }
        if (m == 0) {
            return first;
        }
        AffineTransform shift = AffineTransform.getTranslateInstance(SIZE / 2.0 - mx / m, SIZE / 2.0 - my / m);
        shift.concatenate(fit(outline.getBounds2D(), BOX));
        return draw(g -> g.fill(shift.createTransformedShape(outline)));
    }

    /**
     * Strokes an open path (Hershey glyph) with round caps and joins.
     *
     * @param path the strokes in any units
     * @param width stroke width in output pixels
     * @return SIZE*SIZE grey values, or {@code null} if the path is empty
     */
    static byte[] stroke(Shape path, double width) {
        Rectangle2D b = path.getBounds2D();
        if (b.getWidth() <= 0 && b.getHeight() <= 0) {
            return null;
        }
        // The path's centre line fits the box less the stroke, so the ink fits the box.
        AffineTransform t = fit(b, BOX - width);
        BasicStroke s = new BasicStroke((float) width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
        return draw(g -> g.fill(s.createStrokedShape(t.createTransformedShape(path))));
    }

    private static AffineTransform fit(Rectangle2D b, double box) {
        double scale = box / Math.max(b.getWidth(), b.getHeight());
        AffineTransform t = new AffineTransform();
        t.translate(SIZE / 2.0, SIZE / 2.0);
        t.scale(scale, scale);
        t.translate(-b.getCenterX(), -b.getCenterY());
        return t;
    }

    private static byte[] draw(Consumer<Graphics2D> painter) {
        BufferedImage img = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.BLACK);
            g.fillRect(0, 0, SIZE, SIZE);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setColor(Color.WHITE);
            painter.accept(g);
        } finally {
            g.dispose();
        }
        return ((DataBufferByte) img.getRaster().getDataBuffer()).getData().clone();
    }
}
