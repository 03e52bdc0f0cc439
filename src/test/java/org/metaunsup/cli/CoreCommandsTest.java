package org.metaunsup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/** Smoke runs of the core commands on tiny settings, asserting on what they write. */
class CoreCommandsTest {

    @TempDir
    Path tmp;

    @Test
    void traceWritesAFolderThatVerifiesAgainstItselfAndTheGolden() throws Exception {
        Path out = tmp.resolve("trace");
        assertEquals(0, Main.run("trace", "--config", "tiny", "--seed", "3", "--out", out.toString()));
        JsonNode index = new ObjectMapper().readTree(out.resolve("index.json").toFile());
        assertEquals(171, index.get("files").size());
        assertEquals(3, index.get("seed").asInt());
        assertTrue(Files.size(out.resolve("unroll__grad__h.c0.w.npy")) > 128);
        assertEquals(0, Main.run("trace", "--verify", out.toString()));
        Path golden = Path.of(getClass().getResource("/golden/trace-tiny-seed1/index.json").toURI()).getParent();
        assertEquals(0, Main.run("trace", "--verify", golden.toString()));
    }

    @Test
    void benchReportsPositiveNumbers() throws Exception {
        Path json = tmp.resolve("bench.json");
        assertEquals(0, Main.run("bench", "--config", "tiny", "--steps", "2", "--inner-repeats", "2",
                "--grad-repeats", "1", "--json", json.toString()));
        JsonNode r = new ObjectMapper().readTree(json.toFile());
        for (String key : List.of("gemm_peak_gflops_all_cores", "inner_step_ms", "meta_gradient_ms",
                "inner_ops", "gradient_ops", "peak_rss_mb", "meta_gradient_gflops", "meta_gradient_ms_per_task",
                "inner_profile_ms_inside_ops",
                "meta_gradients_per_minute_1_worker", "meta_gradients_per_minute_2_workers",
                "forward_inner_step_ms", "forward_to_backprop_cost_per_inner_step",
                "forward_perturbed_inner_steps_per_second_1_worker", "forward_perturbed_inner_steps_per_second_2_workers",
                "forward_estimates_per_minute_1_worker", "forward_estimates_per_minute_2_workers",
                "forward_peak_rss_mb_one_worker", "pes_state_mb_per_task")) {
            assertTrue(r.get(key).asDouble() > 0, key + " = " + r.get(key));
        }
        assertTrue(r.get("gradient_ops").asInt() > r.get("unroll_forward_ops").asInt());
    }

    @Test
    void benchGraphVariantsGiveTheFixedGraphsNumbers() throws Exception {
        Path json = tmp.resolve("variants.json");
        assertEquals(0, Main.run("bench", "--config", "tiny", "--steps", "2", "--inner-repeats", "1",
                "--grad-repeats", "1", "--workers", "1", "--graph-variants", "--json", json.toString()));
        JsonNode r = new ObjectMapper().readTree(json.toFile());
        assertTrue(r.get("free_and_loaded_equal_fixed_bitwise").asBoolean());
        for (String key : List.of("free_gradient_function_build_ms", "gradient_function_save_ms",
                "gradient_function_load_ms", "alternated_meta_gradient_ms_free", "alternated_meta_gradient_ms_loaded")) {
            assertTrue(r.get(key).asDouble() > 0, key + " = " + r.get(key));
        }
    }

    @Test
    void benchGridRunsTheTaskDistributionOnFewGraphs() throws Exception {
        Path json = tmp.resolve("grid.json");
        assertEquals(0, Main.run("bench", "--config", "tiny", "--grid", "6", "--workers", "2", "--json", json.toString()));
        JsonNode r = new ObjectMapper().readTree(json.toFile());
        assertEquals("[2, 3]", r.get("truncation_lengths").asText());
        assertTrue(r.get("free_hidden_widths").asBoolean());
        for (String w : List.of("_1_worker", "_2_workers")) {
            assertTrue(r.get("meta_gradients_per_minute" + w).asDouble() > 0, w);
            // One graph per (depth, k) a worker met, whatever widths its tasks drew (tiny's cache
            // holds them all); one per architecture would be distinct_architecture_k.
            assertEquals(r.get("distinct_depth_k" + w).asInt(), r.get("graphs" + w).asInt(), w);
            assertTrue(r.get("distinct_architecture_k" + w).asInt() >= r.get("graphs" + w).asInt(), w);
            double k = r.get("mean_k" + w).asDouble();
            assertTrue(k >= 2 && k <= 3, "mean_k" + w + " = " + k);
        }
        assertEquals(0, r.get("graphs_loaded_1_worker").asInt(), "tests install no graph store");
    }

    @Test
    void benchEstimatorsComparesTheThreeEstimatorsOnOneTask() throws Exception {
        Path json = tmp.resolve("quality.json");
        assertEquals(0, Main.run("bench", "--estimators", "--config", "tiny", "--horizon", "2", "--backprop-k", "1",
                "--forward-k", "1", "--seeds", "1", "--directions", "2", "--dtype", "double", "--json", json.toString()));
        JsonNode r = new ObjectMapper().readTree(json.toFile());
        for (String est : List.of("backprop_k1", "es_k1_p1", "pes_k1_p1")) {
            assertEquals(2, r.get(est + "_estimates").asInt(), est);
            assertTrue(r.get(est + "_cpu_seconds_per_estimate").asDouble() > 0, est);
            double c = r.get(est + "_cosine_mean").asDouble();
            assertTrue(c >= -1 && c <= 1, est + " cosine " + c);
        }
        assertEquals(2, runCapturingErr("bench", "--estimators", "--config", "tiny", "--horizon", "3",
                "--backprop-k", "2"));
    }

    @Test
    void benchGraphCacheWeighsTheGraphsOfTheTaskGrid() throws Exception {
        Path json = tmp.resolve("graphs.json");
        assertEquals(0, Main.run("bench", "--config", "tiny", "--graph-cache", "3", "--json", json.toString()));
        JsonNode r = new ObjectMapper().readTree(json.toFile());
        assertEquals(3, r.get("graph_cache_graphs").asInt(), "tiny's grid has more than 3 graphs; 3 are kept");
        assertTrue(r.get("graph_cache_estimated_mb").asDouble() > 0);
        assertTrue(Double.isFinite(r.get("graph_cache_rss_per_estimated").asDouble()));
    }

    @Test
    void demoWritesCurveSummaryConfigAndManifest() throws Exception {
        Path out = tmp.resolve("demo");
        assertEquals(0, Main.run("demo", "--config", "tiny", "--rule", "random", "--steps", "4", "--every", "2",
                "--seeds", "2", "--out", out.toString()));
        List<String> csv = Files.readAllLines(out.resolve("curve.csv"));
        assertEquals(4, csv.size(), "header + steps 0, 2, 4");
        for (String row : csv.subList(1, csv.size())) {
            double acc = Double.parseDouble(row.split(",")[1]);
            assertTrue(acc >= 0 && acc <= 1, row);
        }
        assertTrue(Files.size(out.resolve("curve.png")) > 1000);
        assertTrue(Files.readString(out.resolve("summary.txt")).contains("10-shot query accuracy"));
        assertTrue(Files.readString(out.resolve("config.properties")).contains("rule.hidden = 8"));
        JsonNode manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
        assertEquals("demo", manifest.get("command").asText());
        assertTrue(manifest.has("seeds") && manifest.has("backend") && manifest.has("started"));
    }

    @Test
    void badConfigsAreOneLineErrorsWithExitCode2() throws Exception {
        assertEquals(2, runCapturingErr("trace", "--config", "no-such-config", "--out", tmp.toString()));
        Path bad = tmp.resolve("bad.properties");
        Files.writeString(bad, "extends = tiny\nrule.hiden = 3\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true));
        int code;
        try {
            code = Main.run("trace", "--config", bad.toString(), "--out", tmp.resolve("t").toString());
        } finally {
            System.setErr(old);
        }
        assertEquals(2, code);
        String msg = err.toString().trim();
        assertTrue(msg.contains("unknown config key 'rule.hiden'"), msg);
        assertEquals(1, msg.lines().count(), msg);
        assertEquals(2, runCapturingErr("trace", "--verify", tmp.resolve("missing").toString()));
        assertEquals(2, runCapturingErr("bench", "--config", "tiny", "--dtype", "int8"));
    }

    private static int runCapturingErr(String... args) {
        PrintStream old = System.err;
        System.setErr(new PrintStream(new ByteArrayOutputStream(), true));
        try {
            return Main.run(args);
        } finally {
            System.setErr(old);
        }
    }
}
