package org.metaunsup.ops;

import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.imports.converters.DifferentialFunctionClassHolder;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;

/**
 * x ⊙ y where y is broadcast over some axes of x (e.g. a batch norm's per-channel factor),
 * with a cheaper backward pass than the stock multiply.
 *
 * <p>The stock gradient ({@code multiply_bp} in libnd4j) first tiles y to x's full shape, an
 * index-by-index copy, then multiplies and reduces: 3.3 ms for [64, 64, 32] × [1, 1, 32] and
 * 35 ms for [128, 128, 64] on one core (measured). This op's gradient is two ops that run at
 * memory speed, dx = dz ⊙ y (a broadcast forward multiply) and dy = Σ over the broadcast axes of
 * x ⊙ dz: 1.3 and 15 ms. The values are the same products and sums.
 *
 * <p>The forward pass is libnd4j's multiply kernel under its synonym {@code "Mul"} (same op
 * hash), which gives this class a name of its own: SameDiff re-creates ops from their serialised
 * name when it builds a gradient function or loads a file, and the stock {@code "multiply"} stays
 * the stock class, so nobody else's graphs change. The broadcast axes are the op's integer
 * arguments, which survive serialisation. {@link #register()} must run once per JVM that builds or
 * loads such a graph.
 */
public final class BroadcastScale extends MulOp {

    /** libnd4j's synonym of {@code multiply}. */
    public static final String OP_NAME = "Mul";

    private static volatile boolean registered;

    /** For deserialisation (reflection) only. */
    public BroadcastScale() {
        super();
    }

    /**
     * @param sd the graph
     * @param x full-shape operand
     * @param y operand of x's rank with size 1 on {@code axes} and x's sizes elsewhere
     * @param axes the axes y is broadcast over
     */
    public BroadcastScale(SameDiff sd, SDVariable x, SDVariable y, int... axes) {
        super(sd, x, y);
        if (axes.length == 0) {
            throw new IllegalArgumentException("BroadcastScale needs the broadcast axes of y");
        }
        addIArgument(axes);
    }

    /**
     * x ⊙ mask for a 0/1 mask of x's shape that carries no gradient (the integer argument
     * {@link #GATE} marks it): the backward is dz ⊙ mask alone, one pairwise multiply.
     *
     * @param sd the graph
     * @param x full-shape operand
     * @param mask 0/1 values of x's shape, from an expression with no gradient of its own
     * @return the op
     */
    public static BroadcastScale gate(SameDiff sd, SDVariable x, SDVariable mask) {
        return new BroadcastScale(sd, x, mask, GATE);
    }

    /** The integer argument of a {@link #gate}: no broadcast, no gradient for the mask. */
    public static final int GATE = -1;

    @Override
    public String opName() {
        return OP_NAME;
    }

    /**
     * nd4j describes an op's named arguments by its op name, and has no description under the
     * synonym; the multiply kernel has none to describe (the axes travel as integer arguments).
     */
    @Override
    public Map<String, Object> propertiesForFunction() {
        return new HashMap<>();
    }

    @Override
    public List<SDVariable> doDiff(List<SDVariable> gradients) {
        SDVariable dz = gradients.get(0);
        long[] iArgs = iArgs();
        int[] axes = new int[iArgs.length];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = (int) iArgs[i];
        }
        SDVariable dx = dz.mul(arg(1));
        if (axes.length == 1 && axes[0] == GATE) {
            return List.of(dx, sameDiff.zerosLike(arg(1)));
        }
        SDVariable dy = arg(0).mul(dz).sum(true, axes);
        return List.of(dx, dy);
    }

    /**
     * Makes nd4j create this class for serialised {@code "Mul"} ops. Idempotent, thread-safe.
     *
     * @throws IllegalStateException if nd4j's internals are not as expected (another version)
     */
    @SuppressWarnings("unchecked")
    public static void register() {
        if (registered) {
            return;
        }
        synchronized (BroadcastScale.class) {
            if (registered) {
                return;
            }
            try {
                DifferentialFunctionClassHolder holder = DifferentialFunctionClassHolder.getInstance();
                BroadcastScale prototype = new BroadcastScale();
                Map<String, DifferentialFunction> byName =
                        (Map<String, DifferentialFunction>) field(holder, "nodeConverters");
                byName.put(OP_NAME, prototype);
                long hash = prototype.opHash();
                if (hash != new MulOp().opHash()) {
                    throw new IllegalStateException("'Mul' is not a synonym of 'multiply' in this libnd4j");
                }
                // One hash, two classes: nd4j then picks the class by the serialised op name.
                Map<Long, Map<String, Class<?>>> byHashAndName =
                        (Map<Long, Map<String, Class<?>>>) field(holder, "customOpHashToClasses");
                Map<String, Class<?>> classes = byHashAndName.computeIfAbsent(hash, h -> new HashMap<>());
                classes.putIfAbsent(MulOp.OP_NAME, MulOp.class);
                classes.put(OP_NAME, BroadcastScale.class);
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new IllegalStateException("Cannot register BroadcastScale in nd4j's "
                        + "DifferentialFunctionClassHolder (nd4j version changed?)", e);
            }
            registered = true;
        }
    }

    private static Object field(Object target, String name) throws ReflectiveOperationException {
        Field f = target.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return f.get(target);
    }
}
