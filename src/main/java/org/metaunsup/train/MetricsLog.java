package org.metaunsup.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One table written as two append-only files: {@code <name>.jsonl} (one JSON object per row) and
 * {@code <name>.csv} (a header, then one row per line). A checkpoint records both files' lengths;
 * resuming cuts them back to those lengths, so rows after the checkpoint (which the resumed run
 * computes again) are never duplicated.
 */
public final class MetricsLog implements AutoCloseable {

    private final Path jsonl;
    private final Path csv;
    private final List<String> columns;
    private OutputStream jsonOut;
    private OutputStream csvOut;
    private final ObjectMapper json = new ObjectMapper();

    /**
     * @param dir run folder
     * @param name file stem, e.g. {@code metrics}
     * @param columns column names, in order
     */
    public MetricsLog(Path dir, String name, List<String> columns) {
        this.jsonl = dir.resolve(name + ".jsonl");
        this.csv = dir.resolve(name + ".csv");
        this.columns = List.copyOf(columns);
    }

    /**
     * Opens both files for appending, first cutting them to the given lengths (absent: empty).
     *
     * @param lengths lengths by file name from a checkpoint, or an empty map for a fresh run
     * @throws IOException on failure
     */
    public void open(Map<String, Long> lengths) throws IOException {
        jsonOut = openCut(jsonl, lengths.getOrDefault(jsonl.getFileName().toString(), 0L));
        long csvLength = lengths.getOrDefault(csv.getFileName().toString(), 0L);
        csvOut = openCut(csv, csvLength);
        if (csvLength == 0) {
            csvOut.write((String.join(",", columns) + "\n").getBytes(StandardCharsets.UTF_8));
            csvOut.flush();
        }
    }

    private static OutputStream openCut(Path file, long length) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        if (ch.size() > length) {
            ch.truncate(length);
        }
        ch.position(ch.size());
        return java.nio.channels.Channels.newOutputStream(ch);
    }

    /**
     * Appends one row (values by column name; missing ones are empty in the CSV, absent in JSON).
     *
     * @param row the values
     * @throws IOException on failure
     */
    public void append(Map<String, Object> row) throws IOException {
        Map<String, Object> ordered = new LinkedHashMap<>();
        List<String> cells = new ArrayList<>();
        for (String c : columns) {
            Object v = row.get(c);
            if (v instanceof Double d && !Double.isFinite(d)) {
                v = null;   // JSON has no NaN; an empty cell says "not measured"
            }
            if (v != null) {
                ordered.put(c, v);
            }
            cells.add(v == null ? "" : v instanceof Double d ? String.format(Locale.ROOT, "%.6g", d) : v.toString());
        }
        jsonOut.write((json.writeValueAsString(ordered) + "\n").getBytes(StandardCharsets.UTF_8));
        csvOut.write((String.join(",", cells) + "\n").getBytes(StandardCharsets.UTF_8));
        jsonOut.flush();
        csvOut.flush();
    }

    /** @return both files' current lengths by file name (for a checkpoint) */
    public Map<String, Long> lengths() throws IOException {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put(jsonl.getFileName().toString(), Files.size(jsonl));
        m.put(csv.getFileName().toString(), Files.size(csv));
        return m;
    }

    /**
     * @return every row of the JSON file so far, parsed
     * @throws IOException on failure
     */
    public List<Map<String, Object>> rows() throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String line : Files.readAllLines(jsonl)) {
            if (!line.isBlank()) {
                @SuppressWarnings("unchecked")
                Map<String, Object> m = json.readValue(line, Map.class);
                out.add(m);
            }
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        if (jsonOut != null) {
            jsonOut.close();
            jsonOut = null;
        }
        if (csvOut != null) {
            csvOut.close();
            csvOut = null;
        }
    }
}
