package org.metaunsup.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.metaunsup.BadInputException;
import org.metaunsup.io.AtomicFiles;

/**
 * One self-contained HTML page for a run folder: every figure (PNG embedded as base64) with the
 * table of numbers behind it, every other table, the text summaries, the resolved config and the
 * manifest. Figures are paired with their tables by the folder's {@code figures.json} when it has
 * one, else by file stem ({@code curve.png} with {@code curve.csv}). Nothing is fetched from
 * anywhere: the page opens offline.
 */
public final class HtmlReport {

    /** Name of the page written into the run folder. */
    public static final String FILE = "report.html";

    private HtmlReport() {}

    /**
     * @param runDir a run folder (holds manifest.json)
     * @return the page written, {@code runDir/report.html}
     * @throws IOException on read or write failure
     * @throws BadInputException when the folder is not a run folder
     */
    public static Path write(Path runDir) throws IOException {
        return write(runDir, w -> {});
    }

    /**
     * Like {@link #write(Path)}, telling what was left out: a damaged {@code figures.json} (the page
     * then pairs figures by file stem), a table or text that is not text, a figure whose image is
     * missing or lies outside the folder. Each is also noted on the page where it would have been.
     *
     * @param runDir a run folder (holds manifest.json)
     * @param warn told one line for each thing left out
     * @return the page written, {@code runDir/report.html}
     * @throws IOException on read or write failure
     * @throws BadInputException when the folder is not a run folder
     */
    public static Path write(Path runDir, Consumer<String> warn) throws IOException {
        if (!Files.isDirectory(runDir)) {
            throw new BadInputException(runDir + ": no such run folder");
        }
        ObjectMapper json = new ObjectMapper();
        Path manifest = runDir.resolve("manifest.json");
        List<Path> parts = subRuns(runDir);
        if (!Files.isRegularFile(manifest) && parts.isEmpty()) {
            throw new BadInputException(runDir + ": not a run folder (no manifest.json, and no sub-folder has one)");
        }
        JsonNode man = Files.isRegularFile(manifest) ? manifest(json, manifest) : json.createObjectNode();
        List<Map<String, String>> figures = new ArrayList<>();
        List<Map<String, String>> tables = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        if (Files.isRegularFile(manifest)) {
            collect(json, runDir, "", figures, tables, texts, warn);
        }
        // A folder of run folders (evaluate, transfer, filters, ... side by side) is one page:
        // each part's figures follow, named by their folder.
        Map<String, JsonNode> partManifests = new LinkedHashMap<>();
        for (Path part : parts) {
            String prefix = part.getFileName().toString() + "/";
            partManifests.put(prefix, manifest(json, part.resolve("manifest.json")));
            collect(json, part, prefix, figures, tables, texts, warn);
        }
        if (!Files.isRegularFile(manifest) && !partManifests.isEmpty()) {
            man = partManifests.values().iterator().next();
        }
        String command = Files.isRegularFile(manifest) ? man.path("command").asText("run") : "results";
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>")
                .append(esc("MetaUnsup " + command + " report: " + runDir.getFileName())).append("</title>\n<style>")
                .append(CSS).append("</style></head><body>\n");
        h.append("<h1>MetaUnsup ").append(esc(command)).append(" report</h1>\n<p class=\"meta\">run folder <code>")
                .append(esc(runDir.toAbsolutePath().toString())).append("</code>; version ")
                .append(esc(man.path("version").asText("?"))).append(", commit ")
                .append(esc(man.path("commit").asText("?"))).append(", started ")
                .append(esc(man.path("started").asText("?"))).append("</p>\n");
        h.append("<nav><b>Contents:</b> ");
        int n = 0;
        for (Map<String, String> f : figures) {
            h.append("<a href=\"#fig").append(++n).append("\">Figure ").append(n).append("</a> · ");
        }
        h.append("<a href=\"#tables\">Tables</a> · <a href=\"#config\">Config</a> · <a href=\"#manifest\">Manifest</a></nav>\n");
        for (String t : texts) {
            Path file = inside(runDir, t);
            String text = file == null ? null : readText(file);
            if (text == null) {
                warn.accept(runDir.resolve(t) + ": missing or not text; left out of the page");
            }
            h.append("<section><h2>").append(esc(t)).append("</h2><pre>")
                    .append(esc(text != null ? text : "(missing or not text: left out)")).append("</pre></section>\n");
        }
        n = 0;
        for (Map<String, String> f : figures) {
            n++;
            Path image = inside(runDir, f.get("image"));
            byte[] img = image != null && Files.isRegularFile(image) ? Files.readAllBytes(image) : new byte[0];
            if (img.length == 0) {
                warn.accept(runDir.resolve(String.valueOf(f.get("image"))) + ": figure image missing; left out of the page");
            }
            h.append("<section class=\"figure\" id=\"fig").append(n).append("\"><h2>Figure ").append(n).append(": ")
                    .append(esc(f.getOrDefault("title", f.get("image")))).append("</h2>\n<img alt=\"")
                    .append(esc(f.get("image"))).append("\" src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(img)).append("\">\n");
            if (f.get("caption") != null) {
                h.append("<p class=\"caption\">").append(esc(f.get("caption"))).append("</p>\n");
            }
            Path figTable = f.get("table") == null ? null : inside(runDir, f.get("table"));
            if (figTable != null && Files.isRegularFile(figTable)) {
                h.append("<h3>Numbers behind figure ").append(n).append(" (<code>").append(esc(f.get("table")))
                        .append("</code>)</h3>\n");
                table(h, figTable, warn);
            }
            h.append("</section>\n");
        }
        h.append("<section id=\"tables\"><h2>Tables</h2>\n");
        for (Map<String, String> t : tables) {
            h.append("<h3>").append(esc(t.getOrDefault("title", t.get("table")))).append(" (<code>")
                    .append(esc(t.get("table"))).append("</code>)</h3>\n");
            Path file = inside(runDir, t.get("table"));
            if (file == null) {
                warn.accept(runDir.resolve(String.valueOf(t.get("table"))) + ": outside the run folder; left out");
                continue;
            }
            table(h, file, warn);
        }
        h.append("</section>\n<section id=\"config\"><h2>Config (<code>config.properties</code>)</h2>\n");
        Path cfg = runDir.resolve("config.properties");
        if (Files.isRegularFile(cfg)) {
            h.append("<table class=\"kv\"><tr><th>key</th><th>value</th></tr>\n");
            String cfgText = readText(cfg);
            if (cfgText == null) {
                warn.accept(cfg + ": not text; left out of the page");
            }
            for (String line : (cfgText == null ? "" : cfgText).lines().toList()) {
                int eq = line.indexOf('=');
                if (line.startsWith("#") || eq < 0) {
                    continue;
                }
                h.append("<tr><td>").append(esc(line.substring(0, eq).trim())).append("</td><td>")
                        .append(esc(line.substring(eq + 1).trim())).append("</td></tr>\n");
            }
            h.append("</table>\n");
        } else {
            h.append("<p>(none)</p>\n");
        }
        h.append("</section>\n<section id=\"manifest\"><h2>Manifest (<code>manifest.json</code>)</h2>\n")
                .append("<table class=\"kv\"><tr><th>field</th><th>value</th></tr>\n");
        man.fields().forEachRemaining(e -> h.append("<tr><td>").append(esc(e.getKey())).append("</td><td>")
                .append(esc(e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toPrettyString()))
                .append("</td></tr>\n"));
        h.append("</table></section>\n");
        for (Map.Entry<String, JsonNode> e : partManifests.entrySet()) {
            h.append("<section><h2>Manifest of <code>").append(esc(e.getKey())).append("</code> (")
                    .append(esc(e.getValue().path("command").asText("?"))).append(")</h2>\n")
                    .append("<table class=\"kv\"><tr><th>field</th><th>value</th></tr>\n");
            e.getValue().fields().forEachRemaining(f -> h.append("<tr><td>").append(esc(f.getKey())).append("</td><td>")
                    .append(esc(f.getValue().isValueNode() ? f.getValue().asText() : f.getValue().toPrettyString()))
                    .append("</td></tr>\n"));
            h.append("</table></section>\n");
        }
        h.append("</body></html>\n");
        Path out = runDir.resolve(FILE);
        AtomicFiles.writeString(out, h.toString());
        return out;
    }

    private static JsonNode manifest(ObjectMapper json, Path manifest) {
        try {
            return json.readTree(manifest.toFile());
        } catch (IOException e) {
            throw new BadInputException(manifest + ": not valid JSON (" + e.getMessage().lines().findFirst().orElse("")
                    + ")");
        }
    }

    /** Immediate sub-folders that are run folders, by name. */
    private static List<Path> subRuns(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.isRegularFile(p.resolve("manifest.json"))).sorted().toList();
        }
    }

    /**
     * Adds one run folder's figures (by its figures.json, else PNG with the CSV of the same stem),
     * other tables and texts, as paths relative to the page's folder ({@code prefix} + name).
     */
    private static void collect(ObjectMapper json, Path dir, String prefix, List<Map<String, String>> figures,
                                List<Map<String, String>> tables, List<String> texts, Consumer<String> warn)
            throws IOException {
        List<String> pngs = list(dir, ".png");
        List<String> csvs = list(dir, ".csv");
        List<Map<String, String>> figs = new ArrayList<>();
        List<Map<String, String>> tabs = new ArrayList<>();
        List<String> txts = new ArrayList<>();
        Path index = dir.resolve(FigureIndex.FILE);
        if (Files.isRegularFile(index)) {
            try {
                JsonNode ix = json.readTree(index.toFile());
                if (ix == null || !ix.isObject()) {
                    throw new IOException("not a JSON object");
                }
                ix.path("figures").forEach(f -> figs.add(fields(f)));
                ix.path("tables").forEach(t -> tabs.add(fields(t)));
                ix.path("texts").forEach(t -> txts.add(t.asText()));
                figs.removeIf(f -> f.get("image") == null);
                tabs.removeIf(t -> t.get("table") == null);
            } catch (IOException e) {
                // A damaged index costs the captions, not the page: pair figures by file stem.
                figs.clear();
                tabs.clear();
                txts.clear();
                warn.accept(index + ": damaged (" + e.getMessage().lines().findFirst().orElse("") + "); figures are "
                        + "paired with tables by file name instead");
            }
        }
        Set<String> shown = new LinkedHashSet<>();
        figs.forEach(f -> {
            shown.add(f.get("image"));
            shown.add(f.get("table"));
        });
        tabs.forEach(t -> shown.add(t.get("table")));
        for (String png : pngs) {
            if (!shown.contains(png)) {
                String stem = png.substring(0, png.length() - 4);
                Map<String, String> f = new LinkedHashMap<>();
                f.put("image", png);
                f.put("title", stem);
                if (csvs.contains(stem + ".csv") && !shown.contains(stem + ".csv")) {
                    f.put("table", stem + ".csv");
                    shown.add(stem + ".csv");
                }
                figs.add(f);
                shown.add(png);
            }
        }
        for (String csv : csvs) {
            if (!shown.contains(csv)) {
                tabs.add(Map.of("table", csv, "title", csv));
            }
        }
        if (!txts.contains("summary.txt") && Files.isRegularFile(dir.resolve("summary.txt"))) {
            txts.add("summary.txt");
        }
        for (Map<String, String> f : figs) {
            Map<String, String> g = new LinkedHashMap<>(f);
            g.put("image", prefix + f.get("image"));
            if (f.get("table") != null) {
                g.put("table", prefix + f.get("table"));
            }
            if (!prefix.isEmpty()) {
                g.put("title", prefix + " " + f.getOrDefault("title", f.get("image")));
            }
            figures.add(g);
        }
        for (Map<String, String> t : tabs) {
            Map<String, String> g = new LinkedHashMap<>(t);
            g.put("table", prefix + t.get("table"));
            g.put("title", prefix + t.getOrDefault("title", t.get("table")));
            tables.add(g);
        }
        txts.forEach(t -> texts.add(prefix + t));
    }

    private static Map<String, String> fields(JsonNode n) {
        Map<String, String> m = new LinkedHashMap<>();
        n.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        return m;
    }

    private static List<String> list(Path dir, String ext) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(ext)).sorted().toList();
        }
    }

    private static void table(StringBuilder h, Path csv, Consumer<String> warn) throws IOException {
        String text = readText(csv);
        if (text == null) {
            warn.accept(csv + ": not a text table; left out of the page");
            h.append("<p>(not a text table: left out)</p>\n");
            return;
        }
        List<String> lines = text.lines().toList();
        h.append("<div class=\"scroll\"><table class=\"data\">\n");
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String cell = i == 0 ? "th" : "td";
            h.append("<tr>");
            for (String c : splitCsv(lines.get(i))) {
                h.append('<').append(cell).append('>').append(esc(c)).append("</").append(cell).append('>');
            }
            h.append("</tr>\n");
        }
        h.append("</table></div>\n");
    }

    /**
     * A file's text, or null when it is not text (a NUL byte or bytes that are not UTF-8): a damaged
     * or foreign file in a run folder is left out of the page, not a reason to fail it.
     */
    static String readText(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        for (byte b : bytes) {
            if (b == 0) {
                return null;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** {@code name} resolved in {@code dir}, or null when it is absent, not relative or leads outside. */
    private static Path inside(Path dir, String name) {
        if (name == null) {
            return null;
        }
        try {
            Path p = dir.resolve(name).normalize();
            return p.startsWith(dir.normalize()) ? p : null;
        } catch (InvalidPathException e) {
            return null;
        }
    }

    /** Splits one CSV line (fields may be double-quoted, with "" for a quote). */
    static List<String> splitCsv(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    f.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    f.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(f.toString());
                f.setLength(0);
            } else {
                f.append(c);
            }
        }
        out.add(f.toString());
        return out;
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static final String CSS = "body{font-family:sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;"
            + "color:#222}h1{font-size:1.6em}h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:1.6em}"
            + "img{max-width:100%;border:1px solid #eee}pre{background:#f6f6f6;padding:.8em;white-space:pre-wrap;"
            + "font-size:.85em}table{border-collapse:collapse;font-size:.8em}td,th{border:1px solid #ccc;"
            + "padding:2px 6px;text-align:right}th{background:#f0f0f0}table.data td,table.data th{white-space:nowrap}table.kv td{text-align:left;"
            + "white-space:pre-wrap}.scroll{max-height:22em;overflow:auto;margin-bottom:1em}.meta,.caption{color:#555;"
            + "font-size:.9em}nav{margin:1em 0}code{font-size:.9em}";
}
