package org.metaunsup.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of {@code metrics.jsonl} / {@code metrics.csv}: what an outer step measured
 * (docs/TRAINING.md, "Run folder").
 *
 * @param outerStep the outer step
 * @param wallSeconds wall time of the run at this step, over all sessions
 * @param metaLoss batch mean of Σ loss / k
 * @param queryAccuracy batch mean of the query accuracy
 * @param gradNorm batch mean gradient norm, before clipping
 * @param clipScale factor the clip applied (1: not clipped)
 * @param stalenessMean mean staleness of the batch's gradients (outer steps)
 * @param stalenessMax largest staleness of the batch
 * @param dropped non-finite gradients dropped, run total
 * @param metaGradientsPerMinute gradients received per minute in this session
 * @param innerStepsPerSecond inner steps per second in this session
 * @param truncationMean mean truncation length k of the batch
 * @param gradientsApplied gradients applied over the run
 */
public record MetricsRow(long outerStep, double wallSeconds, double metaLoss, double queryAccuracy, double gradNorm,
                         double clipScale, double stalenessMean, long stalenessMax, long dropped,
                         double metaGradientsPerMinute, double innerStepsPerSecond, double truncationMean,
                         long gradientsApplied) {

    /** The columns, in file order. */
    public static final List<String> COLUMNS = List.of("outer_step", "wall_seconds", "meta_loss",
            "query_accuracy", "grad_norm", "clip_scale", "staleness_mean", "staleness_max", "dropped",
            "meta_gradients_per_minute", "inner_steps_per_second", "truncation_mean", "gradients_applied");

    /** @return the row by column name, for {@link MetricsLog} */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("outer_step", outerStep);
        m.put("wall_seconds", wallSeconds);
        m.put("meta_loss", metaLoss);
        m.put("query_accuracy", queryAccuracy);
        m.put("grad_norm", gradNorm);
        m.put("clip_scale", clipScale);
        m.put("staleness_mean", stalenessMean);
        m.put("staleness_max", stalenessMax);
        m.put("dropped", dropped);
        m.put("meta_gradients_per_minute", metaGradientsPerMinute);
        m.put("inner_steps_per_second", innerStepsPerSecond);
        m.put("truncation_mean", truncationMean);
        m.put("gradients_applied", gradientsApplied);
        return m;
    }
}
