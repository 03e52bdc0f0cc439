package org.metaunsup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * {@code invariance} on tiny settings: the CSV has one row per method and permutation with finite
 * numbers where measured, the figure, summary, index and manifest are there, raw pixels give the
 * same ridge accuracy under every permutation (the readout data is the same, only the column order
 * differs) and the supervised extractor trained on unpermuted pixels loses accuracy under the
 * permutations.
 */
class InvarianceCommandTest {

    @TempDir
    Path tmp;

    @Test
    void tinyRunWritesTheTableFigureSummaryAndShowsTheContrast() throws Exception {
        Path out = tmp.resolve("inv");
        CliRunner.Result r = CliRunner.run("invariance", "--rule", "random", "--config", "tiny", "--arch", "6,5,4",
                "--permutations", "2", "--steps", "2", "--seeds", "2", "--query", "100", "--draws", "2",
                "--baseline-per-class", "20", "--baseline-steps", "30", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(out.toAbsolutePath().toString(), r.out().trim(), "stdout is the run folder only");

        List<String> csv = Files.readAllLines(out.resolve("invariance.csv"));
        assertEquals("method,permutation,seeds,ridge_accuracy_mean,ridge_accuracy_se,logistic_accuracy_mean,"
                + "logistic_accuracy_se,prototype_accuracy_mean,prototype_accuracy_se,meta_loss_mean,meta_loss_se,"
                + "step,permutation_seed", csv.get(0));
        assertEquals(1 + 3 * 3, csv.size(), "3 methods x (identity + 2 permutations)");
        Map<String, String[]> rows = new HashMap<>();
        for (String row : csv.subList(1, csv.size())) {
            String[] f = row.split(",", -1);
            assertEquals(13, f.length, row);
            rows.put(f[0] + "/" + f[1], f);
            assertEquals("2", f[2], row);
            boolean rule = f[0].equals("rule-init");
            for (int i = 3; i <= 10; i++) {
                if (rule && (i == 7 || i == 8)) {
                    assertEquals("", f[i], "no prototype readout for the rule: " + row);
                    continue;
                }
                double v = Double.parseDouble(f[i]);
                assertTrue(Double.isFinite(v), row);
                if (i <= 8) {
                    assertTrue(v >= 0 && v <= 1, row);
                }
            }
            assertEquals(rule ? "2" : "", f[11], row);
            assertEquals(f[1].equals("identity"), f[12].isEmpty(), row);
        }
        for (String m : List.of("rule-init", "supervised-fixed", "raw")) {
            for (String p : List.of("identity", "perm1", "perm2")) {
                assertTrue(rows.containsKey(m + "/" + p), m + "/" + p);
            }
        }
        for (String p : List.of("perm1", "perm2")) {
            // Ridge on raw pixels does not see column order (float64 rounding aside).
            assertEquals(Double.parseDouble(rows.get("raw/identity")[3]), Double.parseDouble(rows.get("raw/" + p)[3]),
                    1e-9, "raw ridge under " + p);
            for (int col : new int[] {3, 5, 7}) {
                double id = Double.parseDouble(rows.get("supervised-fixed/identity")[col]);
                double perm = Double.parseDouble(rows.get("supervised-fixed/" + p)[col]);
                assertTrue(id > perm + 0.1, "the extractor depends on pixel order, column " + col + ": " + id
                        + " vs " + perm);
            }
        }
        assertEquals(1 + 2 * 3 * 2 + 2 * 3 * 2, Files.readAllLines(out.resolve("invariance-points.csv")).size(),
                "2 baselines x 3 permutations x 2 seeds, and the rule at steps 0 and 2");

        assertTrue(Files.size(out.resolve("invariance.png")) > 5000);
        String summary = Files.readString(out.resolve("summary.txt"));
        assertTrue(summary.contains("largest difference between two permutations' means")
                && (summary.contains("se, within 2 se") || summary.contains("NOT within 2 se")), summary);
        assertTrue(summary.contains("identity − permuted") && summary.contains("standard error"), summary);
        assertTrue(summary.contains("20 labelled images per class of the training split, unpermuted"), summary);
        JsonNode figures = new ObjectMapper().readTree(out.resolve("figures.json").toFile());
        assertEquals("invariance.png", figures.get("figures").get(0).get("image").asText());
        assertEquals("invariance.csv", figures.get("figures").get(0).get("table").asText());
        JsonNode manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
        assertEquals("invariance", manifest.get("command").asText());
        assertEquals("finished", manifest.get("status").asText());
        assertEquals(3, manifest.get("seeds").get("permutations").size());
        assertEquals(rows.get("raw/perm1")[12], manifest.get("seeds").get("permutations").get(1).get("seed").asText());
        assertEquals(20, manifest.get("baseline").get("labelled_images_per_class").asInt());
        assertTrue(Files.isRegularFile(out.resolve("config.properties")));

        CliRunner.Result report = CliRunner.run("report", "--run-dir", out.toString());
        assertEquals(0, report.code(), report.err());
        assertTrue(Files.readString(out.resolve("report.html"))
                .contains("Numbers behind figure 1 (<code>invariance.csv</code>)"));
    }
}
