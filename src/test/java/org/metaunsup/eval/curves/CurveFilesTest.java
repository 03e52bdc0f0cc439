package org.metaunsup.eval.curves;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metaunsup.eval.CurvePoint;
import org.metaunsup.testing.SmallDisk;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/** The learning-curve files: their numbers, and that a failed write leaves no half file. */
class CurveFilesTest {

    @TempDir
    Path tmp;

    /** Two methods, two seeds, steps 0 and 100: accuracies chosen so that means and se are exact. */
    static CurveTable table() {
        List<CurvePoint> p = new ArrayList<>();
        p.add(new CurvePoint("rule", 0, 0, 2.0, 0.2, 0.3));
        p.add(new CurvePoint("rule", 1, 0, 2.0, 0.4, 0.3));
        p.add(new CurvePoint("rule", 0, 100, 1.0, 0.6, 0.5));
        p.add(new CurvePoint("rule", 1, 100, 1.0, 0.8, 0.5));
        p.add(new CurvePoint("none", 0, 0, 3.0, 0.1, 0.1));
        p.add(new CurvePoint("none", 1, 0, 3.0, 0.1, 0.1));
        p.add(new CurvePoint("none", 0, 100, 3.0, 0.1, 0.1));
        p.add(new CurvePoint("none", 1, 100, 3.0, 0.1, 0.1));
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("rule", "learned rule");
        labels.put("none", "no rule, \"random\" features");
        return new CurveTable(p, labels);
    }

    @Test
    void summaryCsvHoldsMeanAndStandardErrorPerMethodAndStep() {
        List<String> lines = CurveFiles.summaryCsv(table()).lines().toList();
        assertEquals("method,label," + CurveTable.HEADER.substring("method,".length()), lines.get(0));
        assertEquals(5, lines.size(), "header + 2 methods x steps 0 and 100");
        // rule at step 100: ridge 0.7 ± 0.1 (s = 0.1414, se = s/√2), logistic 0.5 ± 0, meta-loss 1 ± 0.
        assertEquals("rule,\"learned rule\",100,2,1.0000,0.0000,0.7000,0.1000,0.5000,0.0000", lines.get(3));
        assertTrue(lines.get(2).startsWith("none,\"no rule, 'random' features\",0,2,"), "quotes in a label are made safe");
        assertEquals(List.of(0, 100), CurveFiles.summarySteps(table()));
    }

    @Test
    void writeLeavesEveryFileAndAnIndexThatNamesThem() throws Exception {
        CurveFiles.write(tmp, table(), "title", "the protocol", false);
        for (String f : List.of("curves.csv", "points.csv", "curves.png", "summary.csv", "summary.txt", "figures.json")) {
            assertTrue(Files.size(tmp.resolve(f)) > 0, f);
        }
        assertEquals(table().curvesCsv(), Files.readString(tmp.resolve("curves.csv")));
        String summary = Files.readString(tmp.resolve("summary.txt"));
        assertTrue(summary.startsWith("title\nSTOPPED EARLY"), summary);
        assertTrue(summary.contains("protocol: the protocol"), summary);
        assertTrue(summary.contains("0.7000 ± 0.1000"), summary);
        JsonNode index = new ObjectMapper().readTree(tmp.resolve("figures.json").toFile());
        assertEquals("curves.png", index.get("figures").get(0).get("image").asText());
        assertEquals("curves.csv", index.get("figures").get(0).get("table").asText());
        assertEquals("summary.csv", index.get("tables").get(0).get("table").asText());
        assertNoTempFiles(tmp);
    }

    @Test
    void onAFullDiskEveryFileIsTheEarlierOneWholeAndNoTempFileIsLeft() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(tmp.resolve("disk"), 1)) {
            Path dir = Files.createDirectories(disk.dir().resolve("run"));
            CurveFiles.write(dir, table(), "first", "p", true);
            Map<String, String> before = texts(dir);
            disk.fill();
            assertThrows(Exception.class, () -> CurveFiles.write(dir, table(), "second, a longer title", "p", false));
            assertEquals(before, texts(dir), "every file is the earlier one, whole");
            assertNoTempFiles(dir);
        }
    }

    /** The text files of a folder, by name. */
    static Map<String, String> texts(Path dir) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : (Iterable<Path>) s::iterator) {
                String n = f.getFileName().toString();
                if (n.endsWith(".csv") || n.endsWith(".txt") || n.endsWith(".json")) {
                    m.put(n, Files.readString(f));
                }
            }
        }
        return m;
    }

    static void assertNoTempFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<String> hidden = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList();
            assertEquals(List.of(), hidden, "no temp file left");
        }
    }
}
