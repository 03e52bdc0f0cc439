package org.metaunsup.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.metaunsup.io.AtomicFiles;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;

/**
 * A run folder's {@code figures.json}: which image goes with which table, under what title and
 * caption, and which other tables and texts belong on the page. {@link HtmlReport} reads it; every
 * command that draws figures writes it through this class.
 */
public final class FigureIndex {

    /** The index's file name inside a run folder. */
    public static final String FILE = "figures.json";

    private final List<Map<String, String>> figures = new ArrayList<>();
    private final List<Map<String, String>> tables = new ArrayList<>();
    private final List<String> texts = new ArrayList<>();

    /**
     * @param image PNG file name
     * @param table CSV of the figure's numbers
     * @param title figure title
     * @param caption what the figure shows and how it was measured
     * @return this index
     */
    public FigureIndex figure(String image, String table, String title, String caption) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("image", image);
        f.put("table", table);
        f.put("title", title);
        f.put("caption", caption);
        figures.add(f);
        return this;
    }

    /**
     * @param table CSV file name
     * @param title its title on the page
     * @return this index
     */
    public FigureIndex table(String table, String title) {
        Map<String, String> t = new LinkedHashMap<>();
        t.put("table", table);
        t.put("title", title);
        tables.add(t);
        return this;
    }

    /**
     * @param file a text file shown as is
     * @return this index
     */
    public FigureIndex text(String file) {
        texts.add(file);
        return this;
    }

    /**
     * Writes {@value #FILE} into a folder, atomically.
     *
     * @param dir the run folder
     * @throws IOException when it cannot be written
     */
    public void write(Path dir) throws IOException {
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("figures", figures);
        if (!tables.isEmpty()) {
            index.put("tables", tables);
        }
        index.put("texts", texts);
        AtomicFiles.writeString(dir.resolve(FILE),
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(index) + "\n");
    }
}
