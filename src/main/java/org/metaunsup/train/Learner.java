package org.metaunsup.train;

import java.util.ArrayList;
import java.util.List;
import org.metaunsup.DivergenceException;
import org.metaunsup.config.OuterConfig;
import org.metaunsup.rule.Theta;
import org.metaunsup.rule.ThetaSpec;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Owns θ and the Adam state, and applies one outer step per batch of B gradients in the order they
 * arrive (never waiting for a particular worker). For a batch g_1 … g_B:
 * <pre>
 *   g = (1/B) Σ g_i;   n = ‖g‖₂;   g ← g · min(1, c/n)             (global-norm clipping, c = clip_norm)
 *   s ← s + 1;  m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²
 *   θ ← θ − lr · (m/(1−β₁ˢ)) / (√(v/(1−β₂ˢ)) + ε)
 * </pre>
 * in float64 on one flat array. A gradient with a non-finite entry (or a non-finite loss) is
 * dropped and counted, never averaged in. Each gradient's staleness is the outer step it is applied
 * at minus the outer step of the θ it was computed on. A step that would make θ non-finite is not
 * written: it throws {@link DivergenceException}, leaving θ as it was.
 *
 * <p>Not thread-safe: the trainer calls it under its own lock.
 */
public final class Learner {

    /**
     * What one outer step did.
     *
     * @param step outer step number after it (1, 2, …)
     * @param meanLoss mean over the batch of each truncation's summed meta-loss / k
     * @param meanQueryAccuracy mean over the batch of each truncation's mean ridge query accuracy
     * @param gradNorm global norm of the batch-mean gradient before clipping
     * @param clipScale factor clipping applied (1 when not clipped)
     * @param meanStaleness mean staleness of the batch
     * @param maxStaleness largest staleness of the batch
     * @param dropped non-finite gradients dropped so far in the run
     * @param meanK mean truncation length of the batch
     */
    public record Step(long step, double meanLoss, double meanQueryAccuracy, double gradNorm, double clipScale,
                       double meanStaleness, long maxStaleness, long dropped, double meanK) {}

    /**
     * Everything a checkpoint needs to continue exactly.
     *
     * @param theta θ, flat float64
     * @param m Adam first moment
     * @param v Adam second moment
     * @param step outer steps applied (Adam's step count and θ's version)
     * @param received gradients received
     * @param dropped non-finite gradients dropped
     * @param applied gradients averaged into applied steps
     * @param pending gradients received but not yet applied (fewer than B)
     */
    public record State(double[] theta, double[] m, double[] v, long step, long received, long dropped, long applied,
                        List<Truncation> pending) {}

    private final ThetaSpec spec;
    private final OuterConfig outer;
    private final DataType workerType;
    private final double[] theta;
    private final double[] m;
    private final double[] v;
    private long step;
    private long received;
    private long dropped;
    private long applied;
    private final List<Truncation> pending = new ArrayList<>();
    private Theta current;

    /**
     * @param spec θ's layout
     * @param outer Adam and clipping settings, batch B
     * @param initial θ₀ (float64 values, canonical order)
     * @param workerType floating type of the θ handed to workers
     */
    public Learner(ThetaSpec spec, OuterConfig outer, double[] initial, DataType workerType) {
        if (initial.length != spec.size()) {
            throw new IllegalArgumentException("theta has " + initial.length + " entries, the spec " + spec.size());
        }
        this.spec = spec;
        this.outer = outer;
        this.workerType = workerType;
        this.theta = initial.clone();
        this.m = new double[initial.length];
        this.v = new double[initial.length];
        publish();
    }

    /**
     * @param spec θ's layout
     * @param outer Adam settings
     * @param s state from {@link #state()}
     * @param workerType floating type of the θ handed to workers
     * @return a learner that continues from s
     */
    public static Learner restore(ThetaSpec spec, OuterConfig outer, State s, DataType workerType) {
        Learner l = new Learner(spec, outer, s.theta(), workerType);
        System.arraycopy(s.m(), 0, l.m, 0, l.m.length);
        System.arraycopy(s.v(), 0, l.v, 0, l.v.length);
        l.step = s.step();
        l.received = s.received();
        l.dropped = s.dropped();
        l.applied = s.applied();
        l.pending.addAll(s.pending());
        return l;
    }

    /**
     * Takes one gradient; applies an outer step when it completes a batch of B.
     *
     * @param t a finished truncation
     * @return the step applied, or null when the batch is not complete (or t was dropped)
     * @throws DivergenceException when the step would make θ non-finite (θ is left unchanged)
     */
    public Step offer(Truncation t) {
        received++;
        if (t.gradient().length != theta.length) {
            throw new IllegalArgumentException("gradient has " + t.gradient().length + " entries, theta "
                    + theta.length);
        }
        if (!t.isFinite()) {
            dropped++;
            return null;
        }
        pending.add(t);
        if (pending.size() < outer.batch()) {
            return null;
        }
        int n = theta.length;
        int b = pending.size();
        double[] g = new double[n];
        double loss = 0;
        double acc = 0;
        double k = 0;
        double stale = 0;
        long maxStale = 0;
        for (Truncation p : pending) {
            double[] gi = p.gradient();
            for (int i = 0; i < n; i++) {
                g[i] += gi[i];
            }
            loss += p.meanLoss();
            acc += p.meanQueryAccuracy();
            k += p.k();
            long s = step - p.thetaVersion();
            stale += s;
            maxStale = Math.max(maxStale, s);
        }
        double norm2 = 0;
        for (int i = 0; i < n; i++) {
            g[i] /= b;
            norm2 += g[i] * g[i];
        }
        double norm = Math.sqrt(norm2);
        double scale = norm > outer.clipNorm() ? outer.clipNorm() / norm : 1.0;
        long s = step + 1;
        double b1 = outer.beta1();
        double b2 = outer.beta2();
        double c1 = 1 - Math.pow(b1, s);
        double c2 = 1 - Math.pow(b2, s);
        double[] nt = new double[n];
        double[] nm = new double[n];
        double[] nv = new double[n];
        for (int i = 0; i < n; i++) {
            double gi = g[i] * scale;
            nm[i] = b1 * m[i] + (1 - b1) * gi;
            nv[i] = b2 * v[i] + (1 - b2) * gi * gi;
            nt[i] = theta[i] - outer.lr() * (nm[i] / c1) / (Math.sqrt(nv[i] / c2) + outer.eps());
            if (!Double.isFinite(nt[i])) {
                // DivergenceException counts inner steps; the outer step is named in the text.
                throw new DivergenceException("theta at outer step " + s, 0, "entry " + i
                        + " would leave the finite numbers; theta is left at outer step " + step, null);
            }
        }
        System.arraycopy(nt, 0, theta, 0, n);
        System.arraycopy(nm, 0, m, 0, n);
        System.arraycopy(nv, 0, v, 0, n);
        step = s;
        applied += b;
        pending.clear();
        publish();
        return new Step(step, loss / b, acc / b, norm, scale, stale / b, maxStale, dropped, k / b);
    }

    private void publish() {
        current = Theta.fromDoubles(spec, theta, workerType);
    }

    /** @return θ of the current version, in the workers' type; never modified afterwards */
    public Theta current() {
        return current;
    }

    /** @return the current version (outer steps applied) */
    public long version() {
        return step;
    }

    /** @return θ as float64 (a copy) */
    public double[] thetaDoubles() {
        return theta.clone();
    }

    /** @return gradients received so far */
    public long received() {
        return received;
    }

    /** @return non-finite gradients dropped so far */
    public long dropped() {
        return dropped;
    }

    /** @return gradients averaged into applied steps so far */
    public long applied() {
        return applied;
    }

    /** @return a copy of everything needed to continue exactly */
    public State state() {
        return new State(theta.clone(), m.clone(), v.clone(), step, received, dropped, applied, List.copyOf(pending));
    }

    /** @return θ's layout */
    public ThetaSpec spec() {
        return spec;
    }
}
