package org.metaunsup.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metaunsup.report.HtmlReport;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * {@code transfer} on tiny settings: 2 widths × 2 depths, 3 steps, 2 seeds. The table has one row
 * per axis, architecture, method and step 0/N with finite numbers; the rule trained and the
 * no-rule reference did not; every architecture used the same evaluation seeds; the architecture
 * on both axes was measured once; the figure and the report page exist.
 */
class TransferCommandTest {

    @TempDir
    Path tmp;

    private static final String HEADER = "axis,width,depth,method,step,seeds,ridge_accuracy_mean,ridge_accuracy_se,"
            + "logistic_accuracy_mean,logistic_accuracy_se,meta_loss_mean,meta_loss_se,seconds";

    @Test
    void widthAndDepthSweepsGiveOneFiniteRowPerArchitectureMethodAndStepAndAReportWithTheFigure() throws Exception {
        Path out = tmp.resolve("transfer");
        // tiny's base model is 6-5 hidden, top 4: the width sweep keeps 2 hidden layers, the
        // depth sweep width 6; width 6 and depth 2 are the same model (196-6-6-4).
        CliRunner.Result r = CliRunner.run("transfer", "--rule", "random", "--config", "tiny", "--widths", "6,7",
                "--depths", "1,2", "--steps", "3", "--seeds", "2", "--query", "100", "--draws", "2",
                "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(out.toAbsolutePath().toString(), r.out().trim(), "stdout is the run folder only");
        assertEquals(4, r.err().lines().filter(l -> l.matches("\\s+\\d/4 (width|depth) .*")).count(),
                "one progress line per architecture:\n" + r.err());

        List<String> csv = Files.readAllLines(out.resolve("transfer.csv"));
        assertEquals(HEADER, csv.get(0));
        // (axis, width, depth, method, step) -> the numbers
        Map<String, double[]> rows = new LinkedHashMap<>();
        for (String row : csv.subList(1, csv.size())) {
            String[] f = row.split(",");
            assertEquals(13, f.length, row);
            assertEquals("2", f[5], "seeds: " + row);
            double[] v = Arrays.stream(f, 6, 13).mapToDouble(Double::parseDouble).toArray();
            for (double x : v) {
                assertTrue(Double.isFinite(x), row);
            }
            for (int i : new int[] {0, 2}) {
                assertTrue(v[i] >= 0 && v[i] <= 1, "accuracy in [0, 1]: " + row);
            }
            assertTrue(v[6] > 0, "seconds: " + row);
            rows.put(String.join(",", Arrays.copyOfRange(f, 0, 5)), v);
        }
        Set<String> expected = new TreeSet<>();
        for (String arch : List.of("width,6,2", "width,7,2", "depth,6,1", "depth,6,2")) {
            for (String method : List.of("rule-init", "none")) {
                for (int step : new int[] {0, 3}) {
                    expected.add(arch + "," + method + "," + step);
                }
            }
        }
        assertEquals(expected, new TreeSet<>(rows.keySet()));
        assertEquals(expected.size(), csv.size() - 1, "no duplicate rows");

        for (String arch : List.of("width,6,2", "width,7,2", "depth,6,1", "depth,6,2")) {
            // The same seeds at every architecture: rule and no rule start from the same φ₀ on the
            // same draws, so step 0 is identical; then only the rule moves.
            assertArrayEquals(rows.get(arch + ",none,0"), rows.get(arch + ",rule-init,0"), arch);
            assertArrayEquals(rows.get(arch + ",none,0"), rows.get(arch + ",none,3"), arch + ": no rule never trains");
            assertNotEquals(Arrays.toString(rows.get(arch + ",rule-init,0")),
                    Arrays.toString(rows.get(arch + ",rule-init,3")), arch + ": the rule trained");
        }
        for (String m : List.of("rule-init,0", "rule-init,3", "none,3")) {
            assertArrayEquals(rows.get("depth,6,2," + m), rows.get("width,6,2," + m), "one model on both axes: " + m);
        }

        byte[] png = Files.readAllBytes(out.resolve("transfer.png"));
        assertTrue(png.length > 5000, "a non-empty figure");
        assertEquals("PNG", new String(png, 1, 3, StandardCharsets.US_ASCII));

        ObjectMapper json = new ObjectMapper();
        JsonNode figures = json.readTree(out.resolve("figures.json").toFile()).get("figures").get(0);
        assertEquals("transfer.png", figures.get("image").asText());
        assertEquals("transfer.csv", figures.get("table").asText());
        JsonNode manifest = json.readTree(out.resolve("manifest.json").toFile());
        assertEquals("transfer", manifest.get("command").asText());
        assertEquals("finished", manifest.get("status").asText());
        assertEquals("[6,7]", manifest.get("widths").toString());
        assertEquals("[1,2]", manifest.get("depths").toString());
        assertEquals(3, manifest.get("steps").asInt());
        assertEquals(2, manifest.get("seeds").get("evaluation_seeds").size());
        assertEquals("5..6", manifest.get("meta_training_range").get("hidden_width").asText());
        assertEquals("1..2", manifest.get("meta_training_range").get("hidden_layers").asText());
        assertTrue(manifest.get("protocol").asText().contains("support = 10 labelled examples per class"));
        assertTrue(manifest.get("rule").asText().contains("meta-initialised"));
        String summary = Files.readString(out.resolve("summary.txt"));
        assertTrue(summary.contains("protocol: ") && summary.contains("measured once"), summary);

        String html = Files.readString(HtmlReport.write(out));
        assertTrue(html.contains("data:image/png;base64," + Base64.getEncoder().encodeToString(png)),
                "transfer.png embedded");
        assertTrue(html.contains("Numbers behind figure 1 (<code>transfer.csv</code>)"), "paired with its table");
    }
}
