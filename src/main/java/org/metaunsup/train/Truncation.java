package org.metaunsup.train;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * What one truncation of one worker yields: the θ-gradient of its summed meta-objective divided by
 * its length k (so that truncations of different lengths weigh alike), the per-step losses and
 * accuracies, the θ version it was computed on, and the worker's state after it.
 *
 * @param workerId which worker ran it
 * @param thetaVersion outer step of the θ it used
 * @param k inner steps of the truncation
 * @param innerSteps inner steps run for it: k for backprop, 2·pairs·k for the forward estimators
 * @param gradient ∂(Σ_t loss_t)/∂θ / k, flat in canonical θ order
 * @param stepLoss meta-loss after each inner step
 * @param queryAccuracy ridge query accuracy after each inner step
 * @param seconds wall time of the pass
 * @param after the worker's state after the truncation
 */
public record Truncation(int workerId, long thetaVersion, int k, long innerSteps, double[] gradient, double[] stepLoss,
                         double[] queryAccuracy, double seconds, WorkerState after) {

    /** @return the summed meta-loss divided by k (what the gradient is of) */
    public double meanLoss() {
        double s = 0;
        for (double l : stepLoss) {
            s += l;
        }
        return s / stepLoss.length;
    }

    /** @return the query accuracy averaged over the k steps */
    public double meanQueryAccuracy() {
        double s = 0;
        for (double a : queryAccuracy) {
            s += a;
        }
        return s / queryAccuracy.length;
    }

    /** @return whether the loss and every gradient entry are finite (otherwise it is dropped) */
    public boolean isFinite() {
        if (!Double.isFinite(meanLoss())) {
            return false;
        }
        for (double g : gradient) {
            if (!Double.isFinite(g)) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param gradient replacement gradient (tests inject non-finite values with it)
     * @return a copy with that gradient
     */
    public Truncation withGradient(double[] gradient) {
        return new Truncation(workerId, thetaVersion, k, innerSteps, gradient, stepLoss, queryAccuracy, seconds, after);
    }

    /** @return the result as bytes (Spark ships it back to the driver; checkpoints keep pending ones) */
    public byte[] toBytes() {
        return Codec.encode(out -> {
            out.writeInt(workerId);
            out.writeLong(thetaVersion);
            out.writeInt(k);
            out.writeLong(innerSteps);
            Codec.doubles(out, gradient);
            Codec.doubles(out, stepLoss);
            Codec.doubles(out, queryAccuracy);
            out.writeDouble(seconds);
            after.write(out);
        });
    }

    /**
     * @param bytes from {@link #toBytes()}
     * @param dtype φ's array type
     * @return the truncation
     */
    public static Truncation fromBytes(byte[] bytes, DataType dtype) {
        return fromBytes(bytes, dtype, Codec.FORMAT);
    }

    /**
     * @param bytes a truncation's bytes
     * @param dtype φ's array type
     * @param format {@link Codec#FORMAT}, or 1 for bytes written before the inner-step count existed
     * @return the truncation
     */
    static Truncation fromBytes(byte[] bytes, DataType dtype, int format) {
        return Codec.decode(bytes, in -> {
            int worker = in.readInt();
            long version = in.readLong();
            int k = in.readInt();
            long steps = format >= 2 ? in.readLong() : k;
            return new Truncation(worker, version, k, steps, Codec.doubles(in), Codec.doubles(in), Codec.doubles(in),
                    in.readDouble(), WorkerState.read(in, dtype, format));
        });
    }
}
