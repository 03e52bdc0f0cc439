package org.metaunsup.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Profiles graph execution: time inside each op (by op type) and how many ops ran. Wall time
 * minus the summed op time is SameDiff's own per-op bookkeeping.
 */
public final class OpTimingListener extends BaseListener {

    /** Time and count of one op type. */
    public record OpStat(String op, long count, double ms) {}

    private final Map<String, long[]> stats = new HashMap<>();
    private long started;

    @Override
    public boolean isActive(Operation operation) {
        return true;
    }

    @Override
    public void preOpExecution(SameDiff sd, At at, SameDiffOp op, OpContext opContext) {
        started = System.nanoTime();
    }

    @Override
    public void opExecution(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, OpContext opContext,
                            INDArray[] outputs) {
        long dt = System.nanoTime() - started;
        long[] s = stats.computeIfAbsent(op.getOp().opName(), k -> new long[2]);
        s[0]++;
        s[1] += dt;
    }

    /** Forgets everything recorded so far. */
    public void reset() {
        stats.clear();
    }

    /** @return per op type, most expensive first */
    public List<OpStat> byType() {
        List<OpStat> out = new ArrayList<>();
        stats.forEach((k, v) -> out.add(new OpStat(k, v[0], v[1] / 1e6)));
        out.sort((a, b) -> Double.compare(b.ms(), a.ms()));
        return out;
    }

    /** @return ops executed */
    public long opCount() {
        return stats.values().stream().mapToLong(v -> v[0]).sum();
    }

    /** @return milliseconds spent inside ops */
    public double opMs() {
        return stats.values().stream().mapToLong(v -> v[1]).sum() / 1e6;
    }
}
