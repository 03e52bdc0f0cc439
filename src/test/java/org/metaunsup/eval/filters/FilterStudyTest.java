package org.metaunsup.eval.filters;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.metaunsup.basemodel.PhiState;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.ConfigLoader;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.data.Datasets;
import org.metaunsup.eval.Architectures;
import org.metaunsup.eval.EvalData;
import org.metaunsup.eval.RuleSource;
import org.metaunsup.util.Seeds;
import org.nd4j.linalg.api.buffer.DataType;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;


/** The filters study: row 0 is phi0 itself, every rule starts from it, different rules give different filters. */
class FilterStudyTest {

    @Test
    void rowsStartFromTheSamePhi0AndDifferByRule() {
        Map<String, String> p = new HashMap<>(ConfigLoader.load("tiny").toProperties());
        p.put("inner.eta", "0.05");
        ExperimentConfig tiny = ConfigLoader.resolve("tiny", p);
        EvalData data = EvalData.of(Datasets.load("mnist14"));
        ExperimentConfig cfg = tiny.withInputWidth(data.dim());
        BaseModelConfig arch = Architectures.parse("6,5,4", data.dim(), cfg.base().activation());
        FilterStudy study = new FilterStudy(cfg, arch, data, 3);
        List<FilterStudy.Filters> rows = study.run(List.of(
                new FilterStudy.Rule("phi0", null),
                new FilterStudy.Rule("a", RuleSource.random(cfg, 4, 1)),
                new FilterStudy.Rule("b", RuleSource.random(cfg, 4, 2))), 4, 5, s -> { }, () -> false);
        assertEquals(3, rows.size());
        PhiState phi0 = PhiState.init(arch, Seeds.derive(3, "phi-init"), DataType.FLOAT);
        float[] col2 = phi0.w().get(0).getColumn(2).dup().toFloatVector();
        assertArrayEquals(col2, rows.get(0).filters()[2], "row 0 is W1 of phi0, column per unit");
        assertEquals(5, rows.get(1).filters().length);
        assertEquals(196, rows.get(1).filters()[0].length);
        assertEquals(4, rows.get(1).steps());
        assertFalse(Arrays.equals(rows.get(0).filters()[0], rows.get(1).filters()[0]), "the rule moved W1");
        assertFalse(Arrays.equals(rows.get(1).filters()[0], rows.get(2).filters()[0]), "rules differ");
    }

    @Test
    void roughnessIsAboutOneForNoiseAndSmallForSmoothImages() {
        Random rnd = new Random(4);
        float[] noise = new float[28 * 28];
        float[] smooth = new float[28 * 28];
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                noise[y * 28 + x] = (float) rnd.nextGaussian();
                smooth[y * 28 + x] = (float) Math.sin(x / 5.0) + (float) Math.cos(y / 7.0);
            }
        }
        double n = FilterGrid.roughness(noise, 28, 28);
        double s = FilterGrid.roughness(smooth, 28, 28);
        assertTrue(Math.abs(n - 1) < 0.1, "noise " + n);
        assertTrue(s < 0.05, "smooth " + s);
    }
}
