package org.metaunsup.metaobjective;

import java.util.Arrays;
import org.nd4j.autodiff.samediff.NameScope;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Emits the few-shot ridge-regression meta-objective (docs/METHOD.md#meta-objective, #numerics) as
 * a SameDiff fragment.
 *
 * <p>Inputs: features F [nS + nQ, d] (support rows first, then query rows; both went through
 * the base model together) and one-hot labels Y_s [nS, C], Y_q [nQ, C] in the graph dtype.
 *
 * <pre>
 *   A      = [F, 1]                    (ones column appended: the bias is the last row of w)
 *   T(Y)   = (Y − m) / √(mean_i ‖Y_i − m‖²),  m = mean of all entries   (per set)
 *   w      = (A_sᵀA_s + diag(λ,…,λ,0))⁻¹ A_sᵀ T(Y_s)   (differentiable solve, no inverse)
 *   ŷ      = A_q w
 *   loss   = (1/nQ) Σ_i ‖ŷ_i/‖ŷ_i‖ − T(Y_q)_i‖²  +  λ ‖w_{1:d}‖² / nS
 *   acc    = mean[argmax(A w)_i = argmax(Y)_i]        (support and query; outputs only)
 * </pre>
 *
 * <p>Centring and scaling are applied to the support and query targets separately, each with
 * its own statistics, as in the authors' release ({@code get_y_vec} is called on both
 * batches). For one-hot rows both statistics are constants (mean 1/C, every centred row has
 * norm² (C−1)/C), so T(Y) rows have unit norm and the query term is 2(1 − cos). There is no
 * epsilon in ‖ŷ_i‖: an all-zero prediction row gives NaN.
 *
 * <p>Every op used has a finite-difference-verified gradient (see {@code RidgeObjectiveTest}).
 * The fragment lives under a name scope so it can be instantiated once per inner step in one
 * graph. When several instances share the same labels, build the targets once with
 * {@link #targets} and pass them to {@link #build(SameDiff, String, SDVariable, int, int,
 * Targets, double)}.
 */
public final class RidgeObjective {

    /** Ridge factor λ of docs/METHOD.md#meta-objective. */
    public static final double DEFAULT_LAMBDA = 0.1;

    static {
        DifferentiableSolve.register();
    }

    private RidgeObjective() {}

    /**
     * Centred and scaled targets plus the class index of every labelled row.
     *
     * @param support T(Y_s) [nS, C]
     * @param query T(Y_q) [nQ, C]
     * @param supportClass argmax of Y_s per row [nS] (INT64)
     * @param queryClass argmax of Y_q per row [nQ] (INT64)
     */
    public record Targets(
            SDVariable support, SDVariable query, SDVariable supportClass, SDVariable queryClass) {}

    /**
     * The variables of one meta-objective instance.
     *
     * @param loss scalar meta-loss (query error + ridge penalty), differentiable
     * @param supportAccuracy scalar in [0, 1], not differentiable (output only)
     * @param queryAccuracy scalar in [0, 1], not differentiable (output only)
     * @param weights ridge solution w [d + 1, C] (last row is the bias)
     * @param queryError (1/nQ) Σ_i ‖ŷ_i/‖ŷ_i‖ − T(Y_q)_i‖²
     * @param penalty λ ‖w_{1:d}‖² / nS
     */
    public record Result(
            SDVariable loss,
            SDVariable supportAccuracy,
            SDVariable queryAccuracy,
            SDVariable weights,
            SDVariable queryError,
            SDVariable penalty) {}

    /**
     * Builds the meta-objective with λ = {@link #DEFAULT_LAMBDA}; nQ is taken from the shape
     * of {@code queryLabels} (or of {@code features}), which must be known.
     *
     * @param sd the graph
     * @param scope name scope of the fragment (null or empty: the current scope), e.g.
     *     {@code "meta"} inside {@code unroll/t03}
     * @param features F [nS + nQ, d], support rows first
     * @param nSupport nS
     * @param supportLabels one-hot Y_s [nS, C], graph dtype
     * @param queryLabels one-hot Y_q [nQ, C], graph dtype
     * @return the loss and metrics
     */
    public static Result build(
            SameDiff sd,
            String scope,
            SDVariable features,
            int nSupport,
            SDVariable supportLabels,
            SDVariable queryLabels) {
        long nQuery = rows(queryLabels);
        if (nQuery < 0 && rows(features) >= 0) {
            nQuery = rows(features) - nSupport;
        }
        if (nQuery < 0) {
            throw new IllegalArgumentException(
                    "ridge: number of query rows unknown (shapes -1); pass nQuery explicitly");
        }
        return build(sd, scope, features, nSupport, Math.toIntExact(nQuery),
                supportLabels, queryLabels, DEFAULT_LAMBDA);
    }

    /**
     * Builds the targets and the meta-objective in one name scope.
     *
     * @param sd the graph
     * @param scope name scope (null or empty: the current scope)
     * @param features F [nS + nQ, d], support rows first
     * @param nSupport nS
     * @param nQuery nQ
     * @param supportLabels one-hot Y_s [nS, C], graph dtype
     * @param queryLabels one-hot Y_q [nQ, C], graph dtype
     * @param lambda ridge factor λ ≥ 0
     * @return the loss and metrics
     */
    public static Result build(
            SameDiff sd,
            String scope,
            SDVariable features,
            int nSupport,
            int nQuery,
            SDVariable supportLabels,
            SDVariable queryLabels,
            double lambda) {
        try (NameScope ns = open(sd, scope)) {
            Targets t = targets(sd, null, supportLabels, queryLabels);
            return build(sd, null, features, nSupport, nQuery, t, lambda);
        }
    }

    /**
     * Centres and scales the targets (docs/METHOD.md#numerics) and takes the class of every row. Build once
     * and share between the instances that use the same labelled pair.
     *
     * @param sd the graph
     * @param scope name scope (null or empty: the current scope)
     * @param supportLabels one-hot Y_s [nS, C]
     * @param queryLabels one-hot Y_q [nQ, C]
     * @return the targets
     */
    public static Targets targets(
            SameDiff sd, String scope, SDVariable supportLabels, SDVariable queryLabels) {
        checkMatrix("support labels", supportLabels);
        checkMatrix("query labels", queryLabels);
        if (supportLabels.dataType() != queryLabels.dataType()) {
            throw new IllegalArgumentException("ridge: support and query labels differ in dtype: "
                    + supportLabels.dataType() + " vs " + queryLabels.dataType());
        }
        try (NameScope ns = open(sd, scope)) {
            return new Targets(
                    centreAndScale(sd, "targetSupport", supportLabels),
                    centreAndScale(sd, "targetQuery", queryLabels),
                    sd.argmax("classSupport", supportLabels, 1),
                    sd.argmax("classQuery", queryLabels, 1));
        }
    }

    /** T(Y) = (Y − m)·√n / ‖Y − m‖_F with m the mean of all entries: 6 ops. */
    private static SDVariable centreAndScale(SameDiff sd, String name, SDVariable y) {
        long n = rows(y);
        if (n < 0) {
            throw new IllegalArgumentException("ridge: number of label rows must be known, got "
                    + Arrays.toString(y.getShape()));
        }
        SDVariable centred = y.sub(y.mean());
        SDVariable invNorm = sd.math().rsqrt(sd.squaredNorm(centred));
        return centred.mul(invNorm).mul(name, Math.sqrt(n));
    }

    /**
     * Builds the meta-objective on prepared targets.
     *
     * @param sd the graph
     * @param scope name scope (null or empty: the current scope)
     * @param features F [nS + nQ, d], support rows first; d must be known
     * @param nSupport nS &gt; 0
     * @param nQuery nQ &gt; 0
     * @param targets from {@link #targets}
     * @param lambda ridge factor λ ≥ 0
     * @return the loss and metrics
     */
    public static Result build(
            SameDiff sd,
            String scope,
            SDVariable features,
            int nSupport,
            int nQuery,
            Targets targets,
            double lambda) {
        checkMatrix("features", features);
        return build(sd, scope, features, Math.toIntExact(features.getShape()[1]), nSupport, nQuery, targets,
                lambda);
    }

    /**
     * Builds the meta-objective on prepared targets when the features' shape is not known at
     * build time (the output of a graph computation): their width is given.
     *
     * @param sd the graph
     * @param scope name scope (null or empty: the current scope)
     * @param features F [nS + nQ, d], support rows first
     * @param featureWidth d
     * @param nSupport nS &gt; 0
     * @param nQuery nQ &gt; 0
     * @param targets from {@link #targets}
     * @param lambda ridge factor λ ≥ 0
     * @return the loss and metrics
     */
    public static Result build(
            SameDiff sd,
            String scope,
            SDVariable features,
            int featureWidth,
            int nSupport,
            int nQuery,
            Targets targets,
            double lambda) {
        DifferentiableSolve.register();
        long d = featureWidth;
        if (d < 1) {
            throw new IllegalArgumentException("ridge: feature width must be known, got "
                    + Arrays.toString(features.getShape()));
        }
        if (nSupport < 1 || nQuery < 1) {
            throw new IllegalArgumentException(
                    "ridge: nSupport and nQuery must be positive, got " + nSupport + ", " + nQuery);
        }
        long n = rows(features);
        if (n >= 0 && n != nSupport + nQuery) {
            throw new IllegalArgumentException("ridge: features have " + n
                    + " rows, expected nSupport + nQuery = " + (nSupport + nQuery));
        }
        if (!(lambda >= 0)) {
            throw new IllegalArgumentException("ridge: lambda must be >= 0, got " + lambda);
        }
        DataType dt = features.dataType();
        if (targets.support().dataType() != dt) {
            throw new IllegalArgumentException("ridge: labels are " + targets.support().dataType()
                    + " but features are " + dt + "; use the graph dtype for both");
        }
        int p = Math.toIntExact(d + 1);

        try (NameScope ns = open(sd, scope)) {
            // A = [F, 1]
            SDVariable ones = sd.constant(DifferentiableSolve.scoped(sd, "ones"),
                    Nd4j.ones(dt, nSupport + nQuery, 1));
            SDVariable a = sd.concat("features1", 1, features, ones);
            SDVariable aS = sd.slice("featuresSupport", a, new int[] {0, 0}, nSupport, p);
            SDVariable aQ = sd.slice("featuresQuery", a, new int[] {nSupport, 0}, nQuery, p);

            // w = (A_sᵀA_s + diag(λ,…,λ,0))⁻¹ A_sᵀ T(Y_s)
            INDArray diag = Nd4j.zeros(dt, p, p);
            for (int i = 0; i < p - 1; i++) {
                diag.putScalar(i, i, lambda);
            }
            SDVariable gram = sd.mmul(aS, aS, true, false, false)
                    .add("gram",
                            sd.constant(DifferentiableSolve.scoped(sd, "ridgeDiagonal"), diag));
            SDVariable rhs = sd.mmul("rhs", aS, targets.support(), true, false, false);
            SDVariable w = DifferentiableSolve.solve(sd, "w", gram, rhs);

            // query error: (1/nQ) Σ_i ‖ŷ_i/‖ŷ_i‖ − T(Y_q)_i‖²  (no eps)
            SDVariable predQuery = sd.mmul("predictionQuery", aQ, w);
            SDVariable unit = predQuery.div(sd.norm2(predQuery, true, 1));
            SDVariable queryError = sd.squaredNorm(unit.sub(targets.query()))
                    .mul("queryError", 1.0 / nQuery);

            // penalty: λ‖w_{1:d}‖²/nS  as ‖w ⊙ m‖² with m = √(λ/nS)·(1,…,1,0)ᵀ
            INDArray mask = Nd4j.valueArrayOf(new long[] {p, 1}, Math.sqrt(lambda / nSupport), dt);
            mask.putScalar(p - 1, 0, 0.0);
            SDVariable maskVar = sd.constant(DifferentiableSolve.scoped(sd, "penaltyMask"), mask);
            SDVariable penalty = sd.squaredNorm("penalty", w.mul(maskVar));
            SDVariable loss = queryError.add("loss", penalty);

            // accuracies (argmax of the unnormalised predictions; not differentiable)
            SDVariable predSupport = sd.mmul("predictionSupport", aS, w);
            SDVariable supportAcc = accuracy(sd, "supportAccuracy", predSupport,
                    targets.supportClass(), dt);
            SDVariable queryAcc = accuracy(sd, "queryAccuracy", predQuery,
                    targets.queryClass(), dt);
            return new Result(loss, supportAcc, queryAcc, w, queryError, penalty);
        }
    }

    private static SDVariable accuracy(
            SameDiff sd, String name, SDVariable pred, SDVariable cls, DataType dt) {
        return sd.eq(sd.argmax(pred, 1), cls).castTo(dt).mean(name);
    }

    private static NameScope open(SameDiff sd, String scope) {
        return scope == null || scope.isEmpty() ? null : sd.withNameScope(scope);
    }

    private static long rows(SDVariable v) {
        long[] s = v.getShape();
        return s == null ? -1 : s[0];
    }

    private static void checkMatrix(String what, SDVariable v) {
        long[] s = v.getShape();
        if (s == null || s.length != 2) {
            throw new IllegalArgumentException("ridge: " + what + " must be a matrix, got shape "
                    + (s == null ? "unknown" : Arrays.toString(s)));
        }
        if (!v.dataType().isFPType()) {
            throw new IllegalArgumentException(
                    "ridge: " + what + " must be floating point, got " + v.dataType());
        }
    }
}
