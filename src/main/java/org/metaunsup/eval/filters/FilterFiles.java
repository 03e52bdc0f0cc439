package org.metaunsup.eval.filters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.data.Dataset;
import org.metaunsup.io.AtomicFiles;
import org.metaunsup.report.FigureIndex;

/**
 * The files of a {@code filters} run: {@code filters.csv} (per filter and channel: largest |w| and
 * roughness), {@code summary.txt}, {@code figures.json} and the image grid {@code filters.png}.
 */
public final class FilterFiles {

    private FilterFiles() {}

    /**
     * @param dir the run folder
     * @param rows φ₀'s filters, then each rule's
     * @param dataset the data's name
     * @param images the images the filters are drawn as (channels and size)
     * @param base the base model
     * @param complete false when a stop cut the study short (said at the top of the summary)
     * @return the summary text
     * @throws IOException when a file cannot be written
     */
    public static String write(Path dir, List<FilterStudy.Filters> rows, String dataset, Dataset images,
                               BaseModelConfig base, boolean complete) throws IOException {
        int c = images.channels();
        int h = images.height();
        int w = images.width();
        int hw = h * w;
        StringBuilder csv = new StringBuilder("row,label,inner_steps,unit,channel,max_abs_weight,roughness\n");
        StringBuilder txt = new StringBuilder();
        txt.append(complete ? "" : "STOPPED EARLY: rows below are what was reached before the stop.\n");
        txt.append("first-layer filters on ").append(dataset).append(", base ").append(base.describe())
                .append("; roughness = mean squared neighbour difference / (2 variance): ~1 for noise, "
                        + "lower for smooth structure\n\n");
        txt.append(String.format(Locale.ROOT, "%-28s %6s  %s%n", "row", "steps", "mean roughness per channel"));
        String title = "First-layer filters, " + dataset + ", base " + base.describe();
        FilterGrid grid = new FilterGrid(title, c, h, w);
        for (int r = 0; r < rows.size(); r++) {
            FilterStudy.Filters f = rows.get(r);
            grid.add(f.steps() > 0 ? f.label() + ", " + f.steps() + " inner steps" : f.label(), f.filters());
            double[] mean = new double[c];
            for (int u = 0; u < f.filters().length; u++) {
                for (int ch = 0; ch < c; ch++) {
                    float[] one = Arrays.copyOfRange(f.filters()[u], ch * hw, (ch + 1) * hw);
                    double max = 0;
                    for (float v : one) {
                        max = Math.max(max, Math.abs(v));
                    }
                    double rough = FilterGrid.roughness(one, h, w);
                    mean[ch] += rough / f.filters().length;
                    csv.append(r).append(",\"").append(f.label()).append("\",").append(f.steps()).append(',')
                            .append(u).append(',').append(ch).append(',')
                            .append(String.format(Locale.ROOT, "%.6g,%.4f%n", max, rough));
                }
            }
            StringBuilder m = new StringBuilder();
            for (double v : mean) {
                m.append(String.format(Locale.ROOT, "%.3f ", v));
            }
            txt.append(String.format(Locale.ROOT, "%-28s %6d  %s%n", f.label(), f.steps(), m.toString().trim()));
        }
        AtomicFiles.writeString(dir.resolve("filters.csv"), csv.toString());
        AtomicFiles.writeString(dir.resolve("summary.txt"), txt.toString());
        new FigureIndex().figure("filters.png", "filters.csv", title, "Rows: the untrained phi0, then a base model trained from it with each rule (same data). "
                + "Each filter scaled by its own largest |w|: grey = 0, white = largest positive, black = largest "
                + "negative" + (c == 3 ? "; colour rows show the three channels as R, G, B." : "."))
                .text("summary.txt")
                .write(dir);
        grid.writePng(dir.resolve("filters.png"));
        return txt.toString();
    }
}
