package org.metaunsup.metaobjective;

import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.metaunsup.ops.BroadcastScale;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.imports.converters.DifferentialFunctionClassHolder;
import org.nd4j.linalg.api.ops.custom.LinearSolve;

/**
 * Linear solve X = A⁻¹B (nd4j op {@code "solve"}) with a working backward pass.
 *
 * <p>The stock {@link LinearSolve} has no usable gradient. This subclass adds the adjoint
 * rule: for X = A⁻¹B and an upstream gradient dX,
 *
 * <pre>
 *   dB = A⁻ᵀ dX          (= solve(A, dX, adjoint = true))
 *   dA = −dB · Xᵀ
 * </pre>
 *
 * <p>The backward solve is itself a {@code DifferentiableSolve}, so second derivatives work
 * too. The only state is the "adjoint" flag, which lives in the op's boolean arguments
 * (bArgs) and therefore survives serialisation.
 *
 * <p><b>Registration.</b> SameDiff re-creates ops from their serialised form (op name and
 * op hash → class, looked up in {@link DifferentialFunctionClassHolder}) when it builds the
 * gradient function and when it loads a FlatBuffers file. Without registration a plain
 * subclass silently turns back into the stock op and the gradient throws. {@link #register()}
 * replaces {@link LinearSolve} by this class in the holder's maps; it is idempotent and
 * must run once in every JVM that builds or loads a graph containing the op. Every factory
 * method here calls it, and so does the static initialiser of this class and of
 * {@link RidgeObjective}. After registration, <em>every</em> {@code "solve"} op created
 * from a serialised graph in this JVM is a {@code DifferentiableSolve}; its forward pass is
 * the stock one, so this changes nothing but the gradient.
 */
public class DifferentiableSolve extends LinearSolve {

    /** Name of the native op (same as the stock class). */
    public static final String OP_NAME = "solve";

    private static volatile boolean registered;

    static {
        register();
    }

    /** For deserialisation (reflection) only. */
    public DifferentiableSolve() {
        super();
    }

    /**
     * Graph constructor.
     *
     * @param sd the graph
     * @param a square matrix [n, n]
     * @param b right-hand side [n, m]
     * @param adjoint if true solve Aᵀ X = B instead of A X = B
     */
    public DifferentiableSolve(SameDiff sd, SDVariable a, SDVariable b, boolean adjoint) {
        super(sd, a, b, adjoint);
    }

    /**
     * Adds X = A⁻¹B to the graph.
     *
     * @param sd the graph
     * @param name name of the output variable (null: generated; the current name scope
     *     applies)
     * @param a square matrix [n, n]
     * @param b right-hand side [n, m]
     * @return X [n, m], same data type as A
     */
    public static SDVariable solve(SameDiff sd, String name, SDVariable a, SDVariable b) {
        return solve(sd, name, a, b, false);
    }

    /**
     * Adds X = A⁻¹B (adjoint = false) or X = A⁻ᵀB (adjoint = true) to the graph.
     *
     * @param sd the graph
     * @param name name of the output variable (null: generated; the current name scope
     *     applies)
     * @param a square matrix [n, n]
     * @param b right-hand side [n, m]
     * @param adjoint whether to solve with the transpose of A
     * @return X [n, m], same data type as A
     */
    public static SDVariable solve(
            SameDiff sd, String name, SDVariable a, SDVariable b, boolean adjoint) {
        register();
        checkShapes(a, b);
        SDVariable x = new DifferentiableSolve(sd, a, b, adjoint).outputVariable();
        return name == null ? x : x.rename(scoped(sd, name));
    }

    /**
     * Prefixes {@code name} with the current name scope. {@code SDVariable.rename} and
     * {@code SameDiff.constant(name, …)} ignore the scope (op outputs get it), so names given
     * to those must go through here.
     *
     * @param sd the graph
     * @param name a name relative to the current scope
     * @return the full name
     */
    static String scoped(SameDiff sd, String name) {
        String scope = sd.currentNameScope();
        return scope == null || scope.isEmpty() ? name : scope + "/" + name;
    }

    private static void checkShapes(SDVariable a, SDVariable b) {
        if (a.dataType() != b.dataType()) {
            throw new IllegalArgumentException(
                    "solve: A and B must have the same data type, got "
                            + a.dataType() + " and " + b.dataType());
        }
        long[] sa = a.getShape();
        long[] sb = b.getShape();
        if (sa != null && (sa.length != 2 || (sa[0] >= 0 && sa[1] >= 0 && sa[0] != sa[1]))) {
            throw new IllegalArgumentException(
                    "solve: A must be a square matrix [n, n], got " + Arrays.toString(sa));
        }
        if (sb != null && sb.length != 2) {
            throw new IllegalArgumentException(
                    "solve: B must be a matrix [n, m], got " + Arrays.toString(sb));
        }
        if (sa != null && sb != null && sa[0] >= 0 && sb[0] >= 0 && sa[0] != sb[0]) {
            throw new IllegalArgumentException(
                    "solve: A " + Arrays.toString(sa) + " and B " + Arrays.toString(sb)
                            + " do not match");
        }
    }

    /** Whether this op solves with Aᵀ. */
    public boolean isAdjoint() {
        return numBArguments() > 0 && getBArgument(0);
    }

    /**
     * nd4j reports the flag as the property "useAdjoint" and, on deserialisation, warns that
     * no Java field holds it. The flag is restored from the bArgs; drop the property.
     */
    @Override
    public void setPropertiesForFunction(Map<String, Object> properties) {
        if (properties != null && properties.containsKey("useAdjoint")) {
            Map<String, Object> rest = new HashMap<>(properties);
            rest.remove("useAdjoint");
            properties = rest;
        }
        super.setPropertiesForFunction(properties);
    }

    @Override
    public List<SDVariable> doDiff(List<SDVariable> gradients) {
        if (args().length != 2) {
            // the stock class also allows the flag as a third (array) input, e.g. from
            // TensorFlow import; its value is then unknown here
            throw new UnsupportedOperationException("DifferentiableSolve: gradient needs the "
                    + "adjoint flag as a boolean argument, got " + args().length + " inputs");
        }
        SDVariable a = arg(0);
        SDVariable x = outputVariable();
        SDVariable dx = gradients.get(0);
        boolean adjoint = isAdjoint();
        // op(A) X = B with op(A) = A or Aᵀ:  dB = op(A)⁻ᵀ dX,  d op(A) = −dB Xᵀ.
        SDVariable db = new DifferentiableSolve(sameDiff, a, dx, !adjoint).outputVariable();
        SDVariable da = adjoint
                ? sameDiff.mmul(x, db, false, true, false).neg()   // dA = −X dBᵀ
                : sameDiff.mmul(db, x, false, true, false).neg();  // dA = −dB Xᵀ
        return Arrays.asList(da, db);
    }

    /**
     * Makes nd4j create this class wherever it would create the stock {@link LinearSolve}
     * from a serialised graph (gradient-function construction, FlatBuffers load).
     * Idempotent and thread-safe; cheap after the first call.
     *
     * @throws IllegalStateException if the nd4j internals are not as expected (another
     *     nd4j version)
     */
    public static void register() {
        // Our graphs' other custom op; registered together so one call serves every loader.
        BroadcastScale.register();
        if (registered) {
            return;
        }
        synchronized (DifferentiableSolve.class) {
            if (registered) {
                return;
            }
            try {
                replaceInHolder();
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new IllegalStateException(
                        "Cannot register DifferentiableSolve in nd4j's "
                                + "DifferentialFunctionClassHolder (nd4j version changed?)", e);
            }
            registered = true;
        }
    }

    @SuppressWarnings("unchecked")
    private static void replaceInHolder() throws ReflectiveOperationException {
        DifferentialFunctionClassHolder holder = DifferentialFunctionClassHolder.getInstance();
        DifferentiableSolve prototype = new DifferentiableSolve();

        // op name -> prototype instance (used by FlatBuffersMapper for non-custom lookups
        // and by getInstance(name))
        Map<String, DifferentialFunction> byName =
                (Map<String, DifferentialFunction>) field(holder, "nodeConverters");
        if (!(byName.get(OP_NAME) instanceof LinearSolve)) {
            throw new IllegalStateException(
                    "op '" + OP_NAME + "' is not mapped to LinearSolve: " + byName.get(OP_NAME));
        }
        byName.put(OP_NAME, prototype);

        // TensorFlow import name -> prototype (MatrixSolve), for consistency
        Map<String, DifferentialFunction> tfNames =
                (Map<String, DifferentialFunction>) field(holder, "tensorFlowNames");
        tfNames.replaceAll((k, v) ->
                v != null && v.getClass() == LinearSolve.class ? prototype : v);

        // custom op hash -> class (used by FlatBuffersMapper.fromFlatNode)
        Map<Long, Class<?>> byHash = (Map<Long, Class<?>>) field(holder, "customOpHashToClass");
        int replaced = 0;
        for (Map.Entry<Long, Class<?>> e : byHash.entrySet()) {
            if (e.getValue() == LinearSolve.class) {
                e.setValue(DifferentiableSolve.class);
                replaced++;
            }
        }
        if (replaced == 0) {
            throw new IllegalStateException("no op hash is mapped to LinearSolve");
        }
        Map<Long, Map<String, Class<?>>> byHashAndName =
                (Map<Long, Map<String, Class<?>>>) field(holder, "customOpHashToClasses");
        for (Map<String, Class<?>> m : byHashAndName.values()) {
            m.replaceAll((k, v) -> v == LinearSolve.class ? DifferentiableSolve.class : v);
        }
    }

    private static Object field(Object target, String name) throws ReflectiveOperationException {
        Field f = target.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return f.get(target);
    }

    /**
     * Whether {@link #register()} has completed in this JVM.
     *
     * @return true once registered
     */
    public static boolean isRegistered() {
        return registered;
    }
}
