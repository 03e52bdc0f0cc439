package org.metaunsup.testing;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Central finite-difference check of SameDiff gradients (test utility).
 *
 * <p>Compares {@code sd.calculateGradients(placeholders, wrt)} with
 * (L(x + ε e_i) − L(x − ε e_i)) / 2ε for every entry i of one input (or a seeded random
 * sample of k entries). The relative error of entry i is |a − n| / max(|a|, |n|, absFloor),
 * so entries whose gradient is tiny in absolute terms are compared absolutely.
 *
 * <p>The input may be a VARIABLE (its array is perturbed in place and restored) or a
 * PLACEHOLDER (a copy of its value in the placeholder map is perturbed).
 *
 * <p><b>Placeholder gradients in nd4j 1.0.0-M2.1.</b> The gradient function differentiates
 * the ops between the loss and the trainable VARIABLEs, plus the placeholders named in
 * {@code sd.createGradFunction("ph1", ...)}. A placeholder that feeds an op on a variable's
 * path gets its gradient as a by-product; any other placeholder is silently left out of
 * {@code calculateGradients}'s result (or, requested alone, it throws "No outputs were
 * specified"; with no VARIABLE at all it throws "graph does not contain any trainable
 * SDVariables"). Fix: call {@code sd.createGradFunction(<placeholder names>)} before the
 * first {@code calculateGradients}; that works even without any VARIABLE. This
 * checker does that itself when no gradient function exists yet; if one exists without the
 * placeholder, it fails with a message saying so. CONSTANT and ARRAY (intermediate)
 * variables cannot be perturbed independently and are rejected.
 *
 * <p>The graph's loss variables must be unset (the checker then sets them to
 * {@code lossName}) or exactly {@code [lossName]}; otherwise {@code calculateGradients} would
 * differentiate something else and the check throws.
 *
 * <p>Build the graph in double: {@code Nd4j.setDefaultDataTypes(DataType.DOUBLE,
 * DataType.DOUBLE)} and double arrays for variables and placeholders; a float graph throws.
 *
 * <p><b>Large graphs.</b> {@link #analytic(Map)} supplies gradients computed once for many
 * inputs (one {@code calculateGradients} call instead of one per checked input). Graphs with
 * ReLUs, |x| or sign have kinks: when one lies within ±ε of the evaluation point the central
 * difference is wrong although the analytic gradient is right. {@link #fallbackEps(double)}
 * re-evaluates an entry that fails the tolerance with further steps and keeps the best
 * estimate (a wrong analytic gradient agrees with none); the report counts such retries.
 * {@link #roundOffUlps(double)} discounts the round-off of a difference quotient,
 * u·ulp(L)/(2ε), from each entry's error, so that a small fallback step is judged fairly.
 */
public final class FiniteDifference {

    /** Default step. */
    public static final double DEFAULT_EPS = 1e-6;
    /** Default absolute floor of the relative-error denominator. */
    public static final double DEFAULT_ABS_FLOOR = 1e-8;

    private final SameDiff sd;
    private final String lossName;
    private final Map<String, INDArray> placeholders;
    private double eps = DEFAULT_EPS;
    private double absFloor = DEFAULT_ABS_FLOOR;
    private double[] fallbackEps = new double[0];
    private double roundOffUlps;
    private Map<String, INDArray> analytic;

    /**
     * @param sd the graph, built in double
     * @param lossName name of a scalar variable
     * @param placeholders placeholder values (not modified; may be null if none)
     */
    public FiniteDifference(SameDiff sd, String lossName, Map<String, INDArray> placeholders) {
        this.sd = sd;
        this.lossName = lossName;
        this.placeholders = placeholders == null ? Collections.emptyMap() : placeholders;
    }

    /**
     * Sets the finite-difference step (default {@value #DEFAULT_EPS}).
     *
     * @param eps step
     * @return this
     */
    public FiniteDifference eps(double eps) {
        this.eps = eps;
        return this;
    }

    /**
     * Sets the absolute floor of the relative-error denominator (default {@value
     * #DEFAULT_ABS_FLOOR}).
     *
     * @param absFloor floor
     * @return this
     */
    public FiniteDifference absFloor(double absFloor) {
        this.absFloor = absFloor;
        return this;
    }

    /**
     * Sets further steps, tried in order for an entry whose error exceeds the tolerance of
     * {@link #assertGradient} at the first step (a kink within ±ε); the best estimate is kept.
     * Default: none.
     *
     * @param steps fallback steps
     * @return this
     */
    public FiniteDifference fallbackEps(double... steps) {
        this.fallbackEps = steps.clone();
        return this;
    }

    /**
     * Discounts u·ulp(L)/(2ε) from |analytic − numeric| before dividing: the round-off of a
     * central difference of a loss L computed in double. Default 0.
     *
     * @param ulps u, units in the last place of L per difference
     * @return this
     */
    public FiniteDifference roundOffUlps(double ulps) {
        this.roundOffUlps = ulps;
        return this;
    }

    /**
     * Uses these analytic gradients instead of calling {@code calculateGradients} per input
     * (they must have been computed at the current variable and placeholder values).
     *
     * @param gradients gradient by input name
     * @return this
     */
    public FiniteDifference analytic(Map<String, INDArray> gradients) {
        this.analytic = gradients;
        return this;
    }

    /**
     * Result of one check.
     *
     * @param input name of the checked input
     * @param checked number of entries compared
     * @param maxRelError largest relative error
     * @param worstIndex flat (C-order) index of that entry, −1 if none checked
     * @param worstShapeIndex the same as an index per dimension
     * @param analytic analytic gradient at that entry
     * @param numeric finite-difference gradient at that entry
     * @param maxAbsAnalytic largest |analytic| over the checked entries (to spot all-zero
     *     gradients)
     * @param retried entries re-evaluated with the fallback step
     * @param maxAbsError largest |analytic − numeric| before any round-off discount
     */
    public record Report(
            String input,
            int checked,
            double maxRelError,
            long worstIndex,
            long[] worstShapeIndex,
            double analytic,
            double numeric,
            double maxAbsAnalytic,
            int retried,
            double maxAbsError) {

        @Override
        public String toString() {
            return String.format(
                    "d%s: %d entries, max rel error %.3e at %s (analytic %.12e, numeric %.12e),"
                            + " max |analytic| %.3e, max |analytic - numeric| %.3e%s",
                    input, checked, maxRelError, Arrays.toString(worstShapeIndex), analytic,
                    numeric, maxAbsAnalytic, maxAbsError,
                    retried == 0 ? "" : ", " + retried + " retried");
        }
    }

    /**
     * Checks all entries of {@code input}.
     *
     * @param input name of a VARIABLE or PLACEHOLDER
     * @return the report
     */
    public Report check(String input) {
        return check(input, -1, 0L);
    }

    /**
     * Checks a seeded random sample of entries (without replacement).
     *
     * @param input name of a VARIABLE or PLACEHOLDER
     * @param k number of entries; k &lt; 0 or k ≥ length checks all
     * @param seed seed of the sample
     * @return the report
     */
    public Report check(String input, int k, long seed) {
        return check(input, k, seed, Double.POSITIVE_INFINITY);
    }

    private Report check(String input, int k, long seed, double retryAbove) {
        SDVariable v = sd.getVariable(input);
        if (v == null) {
            throw new IllegalArgumentException("no variable named " + input);
        }
        VariableType type = v.getVariableType();
        INDArray target;
        Map<String, INDArray> ph = new HashMap<>(placeholders);
        if (type == VariableType.VARIABLE) {
            target = sd.getArrForVarName(input);
        } else if (type == VariableType.PLACEHOLDER) {
            INDArray given = placeholders.get(input);
            if (given == null) {
                throw new IllegalArgumentException("no value given for placeholder " + input);
            }
            target = given.dup();
            ph.put(input, target);
        } else {
            throw new IllegalArgumentException(input + " is " + type
                    + "; only VARIABLE and PLACEHOLDER inputs can be perturbed");
        }
        if (target.dataType() != DataType.DOUBLE) {
            throw new IllegalArgumentException(
                    input + " is " + target.dataType() + "; finite differences need DOUBLE");
        }

        List<String> losses = sd.getLossVariables();
        if (losses.isEmpty()) {
            sd.setLossVariables(lossName);
        } else if (!losses.equals(List.of(lossName))) {
            throw new IllegalArgumentException("the graph's loss variables are " + losses
                    + ", not [" + lossName + "]: calculateGradients would differentiate those");
        }
        if (type == VariableType.PLACEHOLDER && sd.getFunction("grad") == null) {
            // M2.1 differentiates w.r.t. placeholders only when named at gradient-function
            // creation; calculateGradients alone silently returns no entry for them.
            sd.createGradFunction(input);
        }
        INDArray analytic;
        try {
            analytic = this.analytic != null ? this.analytic.get(input)
                    : sd.calculateGradients(ph, input).get(input);
        } catch (IllegalStateException e) {
            if (type != VariableType.PLACEHOLDER) {
                throw e;
            }
            analytic = null;   // M2.1: "No outputs were specified" when dp was not built
        }
        if (analytic == null && type == VariableType.PLACEHOLDER) {
            throw new AssertionError("no gradient for placeholder " + input + ": the gradient "
                    + "function was created without it; call sd.createGradFunction(<placeholder "
                    + "names>) before the first calculateGradients");
        }
        if (analytic == null) {
            throw new AssertionError("calculateGradients returned no gradient for " + input
                    + " (not on the path to " + lossName + "?)");
        }
        if (!Arrays.equals(analytic.shape(), target.shape())) {
            throw new AssertionError("gradient of " + input + " has shape "
                    + Arrays.toString(analytic.shape()) + ", input has "
                    + Arrays.toString(target.shape()));
        }

        long[] idx = indices(target.length(), k, seed);
        double worst = -1;
        long worstAt = -1;
        double worstA = Double.NaN;
        double worstN = Double.NaN;
        double maxAbs = 0;
        int retried = 0;
        double maxAbsErr = 0;
        for (long i : idx) {
            double a = analytic.getDouble(i);
            double n = numeric(target, i, eps, ph);
            double rel = relError(a, n, eps);
            if (rel > retryAbove && fallbackEps.length > 0) {
                retried++;
                for (int f = 0; f < fallbackEps.length && rel > retryAbove; f++) {
                    double n2 = numeric(target, i, fallbackEps[f], ph);
                    double rel2 = relError(a, n2, fallbackEps[f]);
                    if (rel2 < rel) {
                        n = n2;
                        rel = rel2;
                    }
                }
            }
            maxAbs = Math.max(maxAbs, Math.abs(a));
            maxAbsErr = Math.max(maxAbsErr, Math.abs(a - n));
            if (rel > worst) {
                worst = rel;
                worstAt = i;
                worstA = a;
                worstN = n;
            }
        }
        long[] shapeIdx = worstAt < 0 ? new long[0] : unravel(worstAt, target.shape());
        return new Report(input, idx.length, Math.max(worst, 0), worstAt, shapeIdx, worstA,
                worstN, maxAbs, retried, maxAbsErr);
    }

    private double lastLoss;

    private double numeric(INDArray target, long i, double step, Map<String, INDArray> ph) {
        double orig = target.getDouble(i);
        target.putScalar(i, orig + step);
        double plus = loss(ph);
        target.putScalar(i, orig - step);
        double minus = loss(ph);
        target.putScalar(i, orig);
        lastLoss = Math.max(Math.abs(plus), Math.abs(minus));
        return (plus - minus) / (2 * step);
    }

    private double relError(double a, double n, double step) {
        double diff = Math.abs(a - n);
        if (roundOffUlps > 0) {
            diff = Math.max(0, diff - roundOffUlps * Math.ulp(lastLoss) / (2 * step));
        }
        double rel = diff / Math.max(Math.max(Math.abs(a), Math.abs(n)), absFloor);
        return Double.isNaN(rel) ? Double.POSITIVE_INFINITY : rel;
    }

    /**
     * Checks {@code input} and fails with a readable message if the max relative error
     * exceeds {@code maxRelError} or if every checked analytic entry is zero.
     *
     * @param input name of a VARIABLE or PLACEHOLDER
     * @param k entries to sample (&lt; 0: all)
     * @param seed seed of the sample
     * @param maxRelError tolerance
     * @return the report (for logging the measured error)
     */
    public Report assertGradient(String input, int k, long seed, double maxRelError) {
        Report r = check(input, k, seed, maxRelError);
        if (!(r.maxRelError() <= maxRelError)) {
            throw new AssertionError("gradient check of " + lossName + " failed: " + r
                    + " > tolerance " + maxRelError);
        }
        if (r.maxAbsAnalytic() == 0) {
            throw new AssertionError("gradient check of " + lossName + ": analytic gradient "
                    + "is zero at every checked entry of " + input + " (disconnected?) " + r);
        }
        return r;
    }

    /**
     * Checks all entries; see {@link #assertGradient(String, int, long, double)}.
     *
     * @param input name of a VARIABLE or PLACEHOLDER
     * @param maxRelError tolerance
     * @return the report
     */
    public Report assertGradient(String input, double maxRelError) {
        return assertGradient(input, -1, 0L, maxRelError);
    }

    private double loss(Map<String, INDArray> ph) {
        INDArray out = sd.output(ph, List.of(lossName)).get(lossName);
        if (out.length() != 1) {
            throw new IllegalArgumentException(lossName + " is not scalar: "
                    + Arrays.toString(out.shape()));
        }
        return out.getDouble(0);
    }

    private static long[] indices(long length, int k, long seed) {
        if (k < 0 || k >= length) {
            long[] all = new long[Math.toIntExact(length)];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            return all;
        }
        // partial Fisher–Yates on 0..length-1
        long[] perm = new long[Math.toIntExact(length)];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = i;
        }
        Random rnd = new Random(seed);
        for (int i = 0; i < k; i++) {
            int j = i + rnd.nextInt(perm.length - i);
            long t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        long[] out = Arrays.copyOf(perm, k);
        Arrays.sort(out);
        return out;
    }

    private static long[] unravel(long flat, long[] shape) {
        long[] out = new long[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            out[d] = flat % shape[d];
            flat /= shape[d];
        }
        return out;
    }
}
