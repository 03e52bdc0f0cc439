package org.metaunsup.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metaunsup.config.ConfigLoader;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.data.Dataset;
import org.metaunsup.data.Glyphs;
import org.metaunsup.eval.EvalData;
import org.metaunsup.rule.Theta;
import org.metaunsup.rule.ThetaSpec;
import org.metaunsup.cli.ProcessSetup;
import org.nd4j.linalg.api.buffer.DataType;

/** Validation of meta-training: fixed tasks of the validation scripts, the same numbers every time, best.json. */
class ValidationEvaluationTest {

    @TempDir
    Path tmp;

    @Test
    void validationTasksAreFixedAndEachFromOneValidationScript() {
        List<EvalData> a = HeldOutEvaluation.validationTasks(4, 5);
        List<EvalData> b = HeldOutEvaluation.validationTasks(4, 5);
        Set<String> validation = new HashSet<>(Glyphs.classScripts("validation"));
        Set<String> used = new HashSet<>();
        for (int t = 0; t < 5; t++) {
            Dataset d = a.get(t).trainSet();
            assertEquals(HeldOutEvaluation.VALIDATION_WAYS, d.numClasses());
            assertEquals(a.get(t).name(), b.get(t).name());
            String script = null;
            for (int c = 0; c < d.numClasses(); c++) {
                assertEquals(d.className(c), b.get(t).trainSet().className(c), "same classes");
                String s = validation.stream().filter(v -> d.className(0).startsWith(v + " ")).findFirst().orElseThrow();
                assertTrue(d.className(c).startsWith(s + " "), d.className(c) + " not of " + s);
                script = s;
            }
            used.add(script);
        }
        assertEquals(4, used.size(), "tasks 0..3 cover the four validation scripts");
    }

    @Test
    void sameThetaSameValidationNumbersAndBestJson() throws Exception {
        ProcessSetup.init();
        ExperimentConfig cfg = ConfigLoader.load("tiny");
        ThetaSpec spec = new ThetaSpec(cfg.rule(), cfg.base().topWidth());
        Theta theta = Theta.init(spec, 11, DataType.FLOAT);
        double[][] first = null;
        for (String run : new String[] {"a", "b"}) {
            Path dir = tmp.resolve(run);
            Files.createDirectories(dir);
            try (HeldOutEvaluation e = new HeldOutEvaluation(cfg, DataType.FLOAT, 3, 2, 1000, 2)) {
                e.open(dir, Map.of());
                double[][] v = e.measureValidation(theta, () -> false);
                assertArrayEquals(v[0], e.measureValidation(theta, () -> false)[0], 0.0, "fixed draws, fixed φ₀");
                if (first == null) {
                    first = v;
                } else {
                    assertArrayEquals(first[0], v[0], 0.0, "another run, the same numbers");
                    assertArrayEquals(first[1], v[1], 0.0);
                }
                Map<String, Object> row = e.evaluate(theta, 2, 1.0, () -> false);
                assertEquals(first[1][0] + first[1][1], 2 * ((Number) row.get("validation_ridge_accuracy")).doubleValue(), 1e-12);
                assertEquals(2L, ((Number) e.best().get("outer_step")).longValue());
            }
            String best = Files.readString(dir.resolve(HeldOutEvaluation.BEST_FILE));
            assertTrue(best.contains("\"theta_file\" : \"theta/step-00000002.theta.fb\""), best);
            assertTrue(best.contains("validation_ridge_accuracy"), best);
        }
    }
}
