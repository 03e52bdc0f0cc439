package org.metaunsup.train;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.metaunsup.basemodel.PhiState;
import org.metaunsup.train.estimator.Particle;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Everything a worker carries between truncations, immutable: which task it is on and where in it.
 * Every random choice a worker makes is a pure function of (run seed, worker id, a counter), so
 * the counters here are the positions of its random streams: restoring this record restores the
 * worker exactly (no generator state to save).
 *
 * <p>A worker here is a <em>slot</em> of the task pool ({@code task.pool}): the engines serve slots
 * in rounds ({@link SlotQueue}) to their threads or Spark jobs, and each slot's random streams are named by its id.
 *
 * @param workerId the slot's index (0 … N−1)
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
     * @param phi base params after those steps (PES: pair 0's positive state)
     * @param particles PES only: every antithetic pair's two states and accumulated perturbation ξ
     *     (empty for the other estimators)
     */
    public record TaskState(long index, long seed, int[] widths, int totalSteps, long step, PhiState phi,
                            List<Particle<PhiState>> particles) {

        /** Copies the list of pairs. */
        public TaskState {
            particles = List.copyOf(particles);
        }

        /** A task without PES pairs. */
        public TaskState(long index, long seed, int[] widths, int totalSteps, long step, PhiState phi) {
            this(index, seed, widths, totalSteps, step, phi, List.of());
        }

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
        return Codec.decode(bytes, in -> read(in, dtype, Codec.FORMAT));
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
            out.writeInt(task.particles().size());
            for (Particle<PhiState> p : task.particles()) {
                Codec.phi(out, p.plus());
                Codec.phi(out, p.minus());
                Codec.doubles(out, p.xi());
            }
        }
    }

    /**
     * @param format {@link Codec#FORMAT}, or 1 for states written before the PES pairs existed
     */
    static WorkerState read(DataInputStream in, DataType dtype, int format) throws IOException {
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
            PhiState phi = Codec.phi(in, dtype);
            List<Particle<PhiState>> particles = new ArrayList<>();
            int n = format >= 2 ? in.readInt() : 0;
            if (n < 0 || n > in.available()) {
                throw new IOException("bad pair count " + n);
            }
            for (int i = 0; i < n; i++) {
                particles.add(new Particle<>(Codec.phi(in, dtype), Codec.phi(in, dtype), Codec.doubles(in)));
            }
            task = new TaskState(index, seed, widths, total, step, phi, particles);
        }
        return new WorkerState(id, tasks, truncs, task);
    }
}
