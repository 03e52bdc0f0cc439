package org.metaunsup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** evaluate and report on tiny settings: the files, their columns, finite numbers, the page's contents. */
class EvaluateReportTest {

    @TempDir
    Path tmp;

    private static final String[] TINY = {"--config", "tiny", "--arch", "6,5,4", "--steps", "4", "--every", "2",
        "--seeds", "2", "--query", "100", "--draws", "2"};

    private Path evaluate(String rule, String... more) {
        Path out = tmp.resolve("eval-" + rule);
        List<String> args = new ArrayList<>(List.of("evaluate", "--rule", rule));
        args.addAll(List.of(TINY));
        args.addAll(List.of(more));
        args.addAll(List.of("--out", out.toString()));
        CliRunner.Result r = CliRunner.run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertEquals(out.toAbsolutePath().toString(), r.out().trim(), "stdout is the run folder only");
        return out;
    }

    private static void assertFiniteCurves(Path dir, Set<String> methods) throws Exception {
        List<String> csv = Files.readAllLines(dir.resolve("curves.csv"));
        assertEquals("method,step,seeds,meta_loss_mean,meta_loss_se,ridge_accuracy_mean,ridge_accuracy_se,"
                + "logistic_accuracy_mean,logistic_accuracy_se", csv.get(0));
        assertEquals(1 + 3 * methods.size(), csv.size(), "one row per method and step 0, 2, 4");
        Set<String> seen = new TreeSet<>();
        for (String row : csv.subList(1, csv.size())) {
            String[] f = row.split(",");
            seen.add(f[0]);
            assertEquals("2", f[2], row);
            for (int i = 3; i < f.length; i++) {
                assertTrue(Double.isFinite(Double.parseDouble(f[i])), row);
            }
            double ridge = Double.parseDouble(f[5]);
            double logistic = Double.parseDouble(f[7]);
            assertTrue(ridge >= 0 && ridge <= 1 && logistic >= 0 && logistic <= 1, row);
        }
        assertEquals(methods, seen);
        assertEquals(1 + 2 * 3 * methods.size(), Files.readAllLines(dir.resolve("points.csv")).size());
        assertTrue(Files.size(dir.resolve("curves.png")) > 5000);
        String summary = Files.readString(dir.resolve("summary.txt"));
        assertTrue(summary.contains("support = 10 labelled examples per class") && summary.contains("standard error"),
                summary);
        assertTrue(Files.readString(dir.resolve("manifest.json")).contains("\"protocol\""));
        assertEquals("finished", new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(dir.resolve("manifest.json").toFile()).get("status").asText(), "manifest marked finished");
    }

    @Test
    void randomAndNoRuleGiveFiniteCurvesAndTheReportHoldsEveryFigureAndTable() throws Exception {
        Path random = evaluate("random", "--methods", "rule,none,raw");
        assertFiniteCurves(random, new TreeSet<>(Set.of("rule-init", "none", "raw")));
        Path none = evaluate("none");
        assertFiniteCurves(none, Set.of("none"));

        // A second picture without an index entry is paired with its table by file stem.
        Files.copy(random.resolve("curves.png"), random.resolve("extra.png"));
        Files.writeString(random.resolve("extra.csv"), "a,b\n1,2\n");
        CliRunner.Result r = CliRunner.run("report", "--run-dir", random.toString());
        assertEquals(0, r.code(), r.err());
        String html = Files.readString(random.resolve("report.html"));
        String b64 = Base64.getEncoder().encodeToString(Files.readAllBytes(random.resolve("curves.png")));
        assertTrue(html.contains("data:image/png;base64," + b64), "curves.png embedded");
        assertEquals(2, html.split("data:image/png;base64,", -1).length - 1, "both figures embedded");
        assertTrue(html.contains("Numbers behind figure 1 (<code>curves.csv</code>)"));
        assertTrue(html.contains("Numbers behind figure 2 (<code>extra.csv</code>)"));
        for (String table : List.of("summary.csv", "points.csv")) {
            assertTrue(html.contains("<code>" + table + "</code>"), table);
        }
        assertTrue(html.contains("<td>logistic_accuracy_se</td>") || html.contains("<th>logistic_accuracy_se</th>"));
        assertTrue(html.contains("rule.hidden") && html.contains("id=\"manifest\"") && html.contains("evaluation_seeds"));
        assertTrue(!html.contains("http://") && !html.contains("https://"), "self-contained");

        assertEquals(2, CliRunner.run("report", "--run-dir", tmp.resolve("nothing").toString()).code());
        assertEquals(2, CliRunner.run("evaluate", "--rule", tmp.resolve("no-theta").toString(), "--out",
                tmp.resolve("x").toString()).code());
        assertEquals(2, CliRunner.run("evaluate", "--rule", "random", "--methods", "magic", "--out",
                tmp.resolve("y").toString()).code());
    }
}
