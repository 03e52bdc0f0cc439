package org.metaunsup.eval.transfer;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.metaunsup.BadInputException;
import org.metaunsup.config.Activation;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.ConfigLoader;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.config.IntRange;
import org.metaunsup.eval.RuleSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


/** The sweeps' architectures, their checks, and where the shaded meta-training range comes from. */
class TransferStudyTest {

    private static final BaseModelConfig SMALL = new BaseModelConfig(new int[] {196, 64, 64, 32}, Activation.RELU);

    @Test
    void widthSweepKeepsTheDepthDepthSweepTheFirstWidthAndEveryTopIsTheRules() {
        List<TransferStudy.Point> p = TransferStudy.architectures(
                new BaseModelConfig(new int[] {196, 64, 48, 32}, Activation.RELU), 16, List.of(32, 2048, 32),
                List.of(1, 8));
        assertEquals(4, p.size(), "duplicates dropped");
        assertEquals("196-32-32-16", p.get(0).base().describe());
        assertEquals("196-2048-2048-16", p.get(1).base().describe());
        assertEquals("196-64-16", p.get(2).base().describe());
        assertEquals("196-64-64-64-64-64-64-64-64-16", p.get(3).base().describe());
        assertEquals(List.of(TransferStudy.Axis.WIDTH, TransferStudy.Axis.WIDTH, TransferStudy.Axis.DEPTH,
                TransferStudy.Axis.DEPTH), p.stream().map(TransferStudy.Point::axis).toList());
        assertEquals(List.of(32, 2048, 1, 8), p.stream().map(TransferStudy.Point::swept).toList());
        assertEquals(2, p.get(1).depth());
        assertEquals(64, p.get(3).width());
    }

    @Test
    void widthsAndDepthsBelowOneAreRefused() {
        for (List<List<Integer>> bad : List.of(List.of(List.of(0), List.of(1)), List.of(List.of(32, -3), List.of(1)),
                List.of(List.of(32), List.of(0)), List.of(List.<Integer>of(), List.of(1)))) {
            BadInputException e = assertThrows(BadInputException.class,
                    () -> TransferStudy.architectures(SMALL, 32, bad.get(0), bad.get(1)));
            assertTrue(e.getMessage().contains("--widths") || e.getMessage().contains("--depths"), e.getMessage());
        }
        assertThrows(BadInputException.class, () -> TransferStudy.architectures(
                new BaseModelConfig(new int[] {196, 32}, Activation.RELU), 32, List.of(32), List.of(1)));
    }

    @Test
    void aThetaFileRecordsTheRangeItWasTrainedOnOtherSourcesRecordNone() throws Exception {
        // The committed θ file was meta-trained when tiny drew widths 4..8 (tiny draws 5..6 now),
        // with η = 0.05 (tiny's η is 1e-4 now: a θ file is only used with its own η).
        Map<String, String> props = new LinkedHashMap<>(ConfigLoader.load("tiny").toProperties());
        props.put("inner.eta", "0.05");
        ExperimentConfig tiny = ConfigLoader.resolve("tiny", props).withInputWidth(196);
        Path file = Path.of(getClass().getResource("/golden/theta-tiny/rule.theta.fb").toURI());
        RuleSource.Loaded loaded = RuleSource.load(file.toString(), tiny, 4, 0);
        assertEquals(new IntRange(4, 8), TransferStudy.trainingRange(loaded.recordedTasks(), TransferStudy.Axis.WIDTH));
        assertEquals(new IntRange(1, 2), TransferStudy.trainingRange(loaded.recordedTasks(), TransferStudy.Axis.DEPTH));
        assertEquals(new IntRange(5, 6), tiny.task().hiddenWidth());
        assertNull(RuleSource.load("random", tiny, 4, 0).recordedTasks());
    }
}
