package org.metaunsup.data;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws grids of dataset images into one picture (plain {@link BufferedImage}): each
 * section is a caption and rows of cells, greyscale for one channel, RGB for three.
 */
public final class SamplePicture {

    private final int cols;
    private final int zoom;
    private final int pad = 2;
    private final List<Object[]> sections = new ArrayList<>();

    /**
     * @param cols cells per row
     * @param zoom pixel magnification of each cell
     */
    public SamplePicture(int cols, int zoom) {
        this.cols = cols;
        this.zoom = zoom;
    }

    /**
     * Adds a section of images.
     *
     * @param caption text above the rows
     * @param batch images (rows of the batch), as many as fill whole rows
     * @param channels channels per image
     * @param size image side
     */
    public void add(String caption, Batch batch, int channels, int size) {
        sections.add(new Object[] {caption, batch, channels, size});
    }

    /**
     * Adds rows with one example of each class in order (class c in column c), drawn
     * uniformly per cell from {@code rng}.
     *
     * @param caption text above the rows
     * @param d a labelled dataset with at most {@code cols} classes
     * @param rows number of rows
     * @param rng random stream
     */
    public void addByClass(String caption, Dataset d, int rows, SplittableRandom rng) {
        int n = d.numClasses();
        int[] idx = new int[rows * n];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < n; c++) {
                int[] of = d.indicesOfClass(c);
                idx[r * n + c] = of[rng.nextInt(of.length)];
            }
        }
        add(caption, TaskSampler.gather(d, idx, null, Augmentation.NONE, rng), d.channels(), d.height());
    }

    /**
     * Adds one row: one image of each listed class, drawn uniformly per cell from {@code rng}
     * (e.g. the classes of one script of the glyph corpus).
     *
     * @param caption text above the row
     * @param d a labelled dataset
     * @param classes classes to show, at most {@code cols}
     * @param rng random stream
     */
    public void addClasses(String caption, Dataset d, int[] classes, SplittableRandom rng) {
        int[] idx = new int[classes.length];
        for (int c = 0; c < classes.length; c++) {
            int[] of = d.indicesOfClass(classes[c]);
            idx[c] = of[rng.nextInt(of.length)];
        }
        add(caption, TaskSampler.gather(d, idx, null, Augmentation.NONE, rng), d.channels(), d.height());
    }

    /** @return the picture */
    public BufferedImage render() {
        int cell = 28 * zoom;
        int capH = 22;
        int width = cols * (cell + pad) + pad;
        int height = 0;
        for (Object[] s : sections) {
            Batch b = (Batch) s[1];
            int rows = (b.rows() + cols - 1) / cols;
            height += capH + rows * (cell + pad) + pad;
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(40, 40, 48));
        g.fillRect(0, 0, width, height);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        int y = 0;
        for (Object[] s : sections) {
            Batch b = (Batch) s[1];
            int ch = (Integer) s[2];
            int size = (Integer) s[3];
            g.setColor(Color.WHITE);
            g.drawString((String) s[0], pad + 2, y + capH - 6);
            y += capH;
            int z = cell / size;
            int plane = size * size;
            for (int i = 0; i < b.rows(); i++) {
                int x0 = pad + (i % cols) * (cell + pad);
                int y0 = y + (i / cols) * (cell + pad);
                for (int py = 0; py < size; py++) {
                    for (int px = 0; px < size; px++) {
                        int base = i * b.dim() + py * size + px;
                        int r = grey(b.x()[base]);
                        int gg = ch == 3 ? grey(b.x()[base + plane]) : r;
                        int bb = ch == 3 ? grey(b.x()[base + 2 * plane]) : r;
                        g.setColor(new Color(r, gg, bb));
                        g.fillRect(x0 + px * z, y0 + py * z, z, z);
                    }
                }
            }
            y += ((b.rows() + cols - 1) / cols) * (cell + pad) + pad;
        }
        g.dispose();
        return img;
    }

    private static int grey(float v) {
        return Math.max(0, Math.min(255, Math.round(v * 255)));
    }
}
