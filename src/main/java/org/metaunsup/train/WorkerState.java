package org.metaunsup.train;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.metaunsup.basemodel.PhiState;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Everything a worker carries between truncations, immutable: which task it is on and where in it.
 * Every random choice a worker makes is a pure function of (run seed, worker id, a counter), so
 * the counters here are the positions of its random streams: restoring this record restores the
 * worker exactly (no generator state to save).
 *
 * @param workerId the worker's index (0 … N−1)
 * @param tasksStarted tasks drawn so far (the task stream's position)
 * @param truncations truncations run so far (the truncation-length stream's position)
 * @param task the current task, or null before the first one and after a task ended
 */
public record WorkerState(int workerId, long tasksStarted, long truncations, TaskState task) {

    /**
     * One task in progress.
     *
     * @param index which task of this worker it is (0, 1, …)
     * @param seed the task sampler's seed (classes, support/query, permutation, unlabelled stream)
     * @param widths base architecture n_0 … n_L
     * @param totalSteps the task's total inner length T
     * @param step inner steps done so far, t
     * @param phi base params after those steps
     */
    public record TaskState(long index, long seed, int[] widths, int totalSteps, long step, PhiState phi) {

        /** @return whether the task has reached its inner length (a new one is drawn next) */
        public boolean done() {
            return step >= totalSteps;
        }
    }

    /**
     * @param workerId index
     * @return a worker that has not started
     */
    public static WorkerState fresh(int workerId) {
        return new WorkerState(workerId, 0, 0, null);
    }

    /** @return the state as bytes (φ as float64: float32 values round-trip exactly) */
    public byte[] toBytes() {
        return Codec.encode(this::write);
    }

    /**
     * @param bytes from {@link #toBytes()}
     * @param dtype array type of φ (the training type)
     * @return the state
     * @throws IllegalArgumentException when the bytes are damaged
     */
    public static WorkerState fromBytes(byte[] bytes, DataType dtype) {
        return Codec.decode(bytes, in -> read(in, dtype));
    }

    void write(DataOutputStream out) throws IOException {
        out.writeInt(workerId);
        out.writeLong(tasksStarted);
        out.writeLong(truncations);
        out.writeBoolean(task != null);
        if (task != null) {
            out.writeLong(task.index());
            out.writeLong(task.seed());
            Codec.ints(out, task.widths());
            out.writeInt(task.totalSteps());
            out.writeLong(task.step());
            Codec.phi(out, task.phi());
        }
    }

    static WorkerState read(DataInputStream in, DataType dtype) throws IOException {
        int id = in.readInt();
        long tasks = in.readLong();
        long truncs = in.readLong();
        TaskState task = null;
        if (in.readBoolean()) {
            long index = in.readLong();
            long seed = in.readLong();
            int[] widths = Codec.ints(in);
            int total = in.readInt();
            long step = in.readLong();
            task = new TaskState(index, seed, widths, total, step, Codec.phi(in, dtype));
        }
        return new WorkerState(id, tasks, truncs, task);
    }
}
