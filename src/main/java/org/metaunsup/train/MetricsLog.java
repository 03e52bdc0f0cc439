package org.metaunsup.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
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
import org.metaunsup.BadInputException;

/**
 * One table written as two append-only files: {@code <name>.jsonl} (one JSON object per row) and
 * {@code <name>.csv} (a header, then one row per line). A checkpoint records both files' lengths;
 * resuming cuts them back to those lengths, so rows after the checkpoint (which the resumed run
 * computes again) are never duplicated, and a row torn by a kill or a full disk is never kept.
 *
 * <p>Each row is composed whole and written to each file in one call, from one thread at a time,
 * so rows never interleave. Readers ({@link #read}) skip a torn last line and lines that do not
 * parse, and say so: a damaged file is reported, never fatal.
 */
public final class MetricsLog implements AutoCloseable {

    private final Path jsonl;
    private final Path csv;
    private final List<String> columns;
    /** Columns of the CSV: {@link #columns}, or an older run's header that the file already has. */
    private List<String> csvColumns;
    private FileChannel jsonOut;
    private FileChannel csvOut;
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
    public synchronized void open(Map<String, Long> lengths) throws IOException {
        jsonOut = openCut(jsonl, lengths.getOrDefault(jsonl.getFileName().toString(), 0L));
        long csvLength = lengths.getOrDefault(csv.getFileName().toString(), 0L);
        csvOut = openCut(csv, csvLength);
        csvColumns = columns;
        if (csvLength == 0) {
            writeFully(csvOut, String.join(",", columns) + "\n");
        } else {
            // A run folder of an older version may have other columns: its CSV keeps its own header
            // (rows stay aligned with it and the file stays append-only); the JSON rows have all.
            String header = firstLine(csv);
            if (header != null && !header.isBlank()) {
                csvColumns = List.of(header.strip().split(",", -1));
            }
        }
    }

    private static String firstLine(Path file) throws IOException {
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.findFirst().orElse(null);
        }
    }

    /**
     * Opens a file for appending after cutting it to {@code length}. A file shorter than the
     * checkpoint says has lost rows that no resume recomputes: refused rather than continued.
     */
    private static FileChannel openCut(Path file, long length) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            if (ch.size() < length) {
                throw new BadInputException(file + " holds " + ch.size() + " bytes but the checkpoint recorded " + length
                        + ": rows before the checkpoint are gone (the file was changed outside the run)");
            }
            if (ch.size() > length) {
                ch.truncate(length);
            }
            ch.position(length);
            return ch;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** JSON has no NaN: a non-finite value is "not measured" (absent in JSON, an empty CSV cell). */
    private static Object finite(Object v) {
        return v instanceof Double d && !Double.isFinite(d) ? null : v;
    }

    private static void writeFully(FileChannel ch, String line) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /**
     * Appends one row (values by column name; missing ones are empty in the CSV, absent in JSON).
     *
     * @param row the values
     * @throws IOException on failure
     */
    public synchronized void append(Map<String, Object> row) throws IOException {
        Map<String, Object> ordered = new LinkedHashMap<>();
        for (String c : columns) {
            Object v = finite(row.get(c));
            if (v != null) {
                ordered.put(c, v);
            }
        }
        List<String> cells = new ArrayList<>();
        for (String c : csvColumns) {
            Object v = finite(row.get(c));
            cells.add(v == null ? "" : v instanceof Double d ? String.format(Locale.ROOT, "%.6g", d) : v.toString());
        }
        writeFully(jsonOut, json.writeValueAsString(ordered) + "\n");
        FaultPoint.METRICS_ROW.reach();
        writeFully(csvOut, String.join(",", cells) + "\n");
    }

    /** @return both files' current lengths by file name (for a checkpoint) */
    public synchronized Map<String, Long> lengths() throws IOException {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put(jsonl.getFileName().toString(), Files.size(jsonl));
        m.put(csv.getFileName().toString(), Files.size(csv));
        return m;
    }

    /**
     * The rows of a {@code .jsonl} file, parsed.
     *
     * @param rows the rows that parse, in order
     * @param skipped one line for each line left out (a torn last line, a line that does not parse)
     */
    public record Read(List<Map<String, Object>> rows, List<String> skipped) {}

    /**
     * @return every row of the JSON file so far, parsed (damaged lines left out, see {@link #read})
     * @throws IOException when the file cannot be read
     */
    public List<Map<String, Object>> rows() throws IOException {
        return read(jsonl).rows();
    }

    /**
     * Reads a {@code .jsonl} file: one JSON object per line. A last line without its newline was
     * torn by a kill or a full disk; it and any line that is not a JSON object are left out and
     * named in {@link Read#skipped}. An absent file has no rows.
     *
     * @param file the file
     * @return its rows and what was skipped
     * @throws IOException when the file exists but cannot be read
     */
    public static Read read(Path file) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        if (!Files.exists(file)) {
            return new Read(out, skipped);
        }
        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        String[] lines = text.split("\n", -1);
        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            boolean last = i == lines.length - 1;
            if (line.isBlank()) {
                continue;
            }
            if (last) {
                skipped.add(file.getFileName() + " line " + (i + 1) + ": torn (no end of line), left out");
                continue;
            }
            try {
                @SuppressWarnings("unchecked")
                Map<String, Object> m = json.readValue(line, Map.class);
                if (m == null) {
                    throw new IOException("not a JSON object");
                }
                out.add(m);
            } catch (IOException | RuntimeException e) {
                skipped.add(file.getFileName() + " line " + (i + 1) + ": not a JSON row, left out");
            }
        }
        return new Read(out, skipped);
    }

    @Override
    public synchronized void close() throws IOException {
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
