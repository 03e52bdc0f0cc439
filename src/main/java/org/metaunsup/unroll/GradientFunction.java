package org.metaunsup.unroll;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.InferenceFactory;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;


/**
 * Builds a graph's gradient function once, up front, and runs its passes. SameDiff M2.1 prints a
 * line per differentiated op to standard output while building (thousands for an unroll); this
 * class leaves System.out alone: the command line filters those lines ({@code cli.Logging}), a
 * JVM of your own decides for itself.
 *
 * <p>With eager sessions installed ({@link RuntimePolicy#eagerSessions()}), it also makes the
 * sessions of the graph and of its gradient function free intermediate arrays as soon as they
 * are dead. SameDiff's default session caches released arrays; for a gradient pass, which keeps
 * every activation alive, new buffers then keep landing on fresh pages, and page faults are
 * expensive on the machines we measured (a fresh 6.4 MB array: ~20 ms against ~0.5 ms for
 * reused memory), while resident memory grows with every call. Freed at once, the C allocator
 * hands the same pages back (with the allocator settings of {@code util.Launcher}): the small
 * K=1 meta-gradient went from 2.7 s to about 1.0 s (docs/BENCHMARKS.md). Forward-only graphs
 * keep the default, which reuses arrays well there.
 *
 * <p>Nothing here changes process-wide state unless {@link RuntimePolicy#install()} asked for it.
 */
public final class GradientFunction {

    /**
     * Graphs whose sessions free arrays eagerly, by identity (SameDiff's own hashCode walks the
     * whole graph) and weakly (graphs may be dropped from caches).
     */
    private static final List<WeakReference<SameDiff>> EAGER = new ArrayList<>();

    private static boolean isEager(SameDiff sd) {
        synchronized (EAGER) {
            EAGER.removeIf(r -> r.get() == null);
            for (WeakReference<SameDiff> r : EAGER) {
                if (r.get() == sd) {
                    return true;
                }
            }
            return false;
        }
    }

    private static volatile boolean eagerSessions;
    /** The factory bound before ours, delegated to for other graphs and restored on uninstall. */
    private static InferenceFactory previous;

    /**
     * Process-wide choices, made only by {@link RuntimePolicy#install()}.
     *
     * @param eager whether gradient graphs get sessions that free arrays at once
     */
    static synchronized void configure(boolean eager) {
        if (eager && previous == null) {
            // SameDiff re-creates sessions (it clears them when a gradient function is added), so
            // the choice is made where every session is born.
            InferenceFactory before = SameDiff.getInferenceFactory();
            previous = before;
            SameDiff.bindInferenceFactory(sd -> {
                if (!isEager(sd)) {
                    // Forward graphs (the one-step rule graph of evaluation) keep SameDiff's array
                    // cache, which reuses arrays well there, but not its graph walk per call.
                    return new CachedSubgraphSession(sd);
                }
                InferenceSession session = new CachedSubgraphSession(sd);
                session.setMmgr(new ReusingMemoryMgr());
                return session;
            });
        } else if (!eager && previous != null) {
            SameDiff.bindInferenceFactory(previous);
            previous = null;
        }
        eagerSessions = eager;
    }

    private GradientFunction() {}

    /**
     * @param sd graph with its loss variables set
     */
    public static void ensureBuilt(SameDiff sd) {
        if (sd.getFunction("grad") == null) {
            build(sd);
        }
        if (eagerSessions) {
            freeEagerly(sd);
            freeEagerly(sd.getFunction("grad"));
        }
    }

    private static void freeEagerly(SameDiff sd) {
        if (!isEager(sd)) {
            synchronized (EAGER) {
                EAGER.add(new WeakReference<>(sd));
            }
        }
        // A session born before the graph was registered (building the gradient function makes
        // one on the building thread) is a forward-graph one: replace it, or the thread that
        // built the graph, which is the thread that trains with it, keeps SameDiff's array cache
        // (it held ~600 MB per cached small K=5 graph between passes, so a worker's memory grew
        // by a gigabyte with every graph it cached) or re-walks the graph on every pass.
        for (Map.Entry<Long, InferenceSession> e : sd.getSessions().entrySet()) {
            if (!(e.getValue() instanceof CachedSubgraphSession)
                    || !(e.getValue().getMmgr() instanceof ReusingMemoryMgr)) {
                InferenceSession session = new CachedSubgraphSession(sd);
                session.setMmgr(new ReusingMemoryMgr());
                e.setValue(session);
            }
        }
    }

    /**
     * Outputs and gradients of one forward-and-backward pass, as
     * {@code SameDiff.calculateGradientsAndOutputs} computes them, but with intermediates freed
     * as soon as they are dead. That method switches the gradient function's array cache flag
     * off on every call, and with the flag off a session never releases an intermediate: a
     * {@code small} K=5 meta-gradient then held every array of the pass (about 3.5 GB) until
     * the garbage collector ran (measured: 49 of 6,163 arrays released per pass at {@code tiny}).
     * Here the flag stays on, so the session releases each array after its last use and the
     * memory manager frees it.
     *
     * @param sd graph whose gradient function is built ({@link #ensureBuilt})
     * @param placeholders placeholder values
     * @param outputs forward variables to return
     * @param gradientOf variables whose gradients to return
     * @return the pass's results
     */
    public static Pass run(SameDiff sd, Map<String, INDArray> placeholders, List<String> outputs,
                           List<String> gradientOf) {
        SameDiff grad = sd.getFunction("grad");
        if (grad == null) {
            throw new IllegalStateException("the gradient function is not built");
        }
        List<String> withGradient = new ArrayList<>();
        for (String v : gradientOf) {
            if (sd.getVariable(v).getGradient() != null) {
                withGradient.add(v);
            }
        }
        String flat = flatGradient(sd, grad, withGradient);
        // The recorded output shapes hold for one set of placeholder shapes: a graph with free
        // widths gets one flat output per architecture it runs.
        String flatOut = FLAT_OUTPUTS + Integer.toHexString(outputs.hashCode()) + "_"
                + Long.toHexString(shapeSignature(placeholders));
        INDArray shapes;
        synchronized (grad) {
            shapes = grad.hasVariable(flatOut + SHAPES) ? grad.getVariable(flatOut + SHAPES).getArr() : null;
        }
        List<String> names = new ArrayList<>(shapes != null ? List.of(flatOut) : outputs);
        names.add(flat);
        grad.setEnableCache(true);
        grad.setListeners(sd.getListeners());
        Map<String, INDArray> raw = grad.output(placeholders, names.toArray(new String[0]));
        InferenceSession session = grad.getSessions().get(Thread.currentThread().getId());
        if (session instanceof CachedSubgraphSession cached) {
            cached.dropLastValues();
        }
        if (session != null && session.getMmgr() instanceof ReusingMemoryMgr reusing) {
            reusing.endPass();
        }
        Map<String, INDArray> values = shapes != null ? unflatten(raw.get(flatOut), outputs, shapes) : raw;
        if (shapes == null) {
            flatOutputs(grad, flatOut, outputs, raw);
        }
        Map<String, INDArray> out = new LinkedHashMap<>();
        outputs.forEach(n -> out.put(n, values.get(n)));
        // Views of the one flat array, in the order asked for.
        INDArray flatValues = raw.get(flat);
        Map<String, INDArray> grads = new LinkedHashMap<>();
        long offset = 0;
        for (String v : withGradient) {
            long[] shape = sd.getVariable(v).getArr().shape();
            long n = sd.getVariable(v).getArr().length();
            grads.put(v, flatValues.get(NDArrayIndex.interval(offset, offset + n)).reshape(shape));
            offset += n;
        }
        return new Pass(out, grads);
    }

    /**
     * Adds to the gradient function, once per list of variables, one output that holds their
     * gradients end to end. SameDiff checks each requested output against a map of all variables
     * that it rebuilds per name (AbstractSession.output): asking for one flat array instead of 72
     * gradients saves ~0.3 s per {@code small} K=5 meta-gradient, and the learner wants one array.
     */
    private static String flatGradient(SameDiff sd, SameDiff grad, List<String> variables) {
        String name = "metaunsup_flat_gradient_" + Integer.toHexString(variables.hashCode());
        synchronized (grad) {
            if (!grad.hasVariable(name)) {
                SDVariable[] parts = new SDVariable[variables.size()];
                for (int i = 0; i < parts.length; i++) {
                    SDVariable g = grad.getVariable(sd.getVariable(variables.get(i)).getGradient().name());
                    parts[i] = grad.reshape(g, sd.getVariable(variables.get(i)).getArr().length());
                }
                grad.identity(name, parts.length == 1 ? parts[0] : grad.concat(0, parts));
            }
        }
        return name;
    }

    private static final String FLAT_OUTPUTS = "metaunsup_flat_outputs_";
    private static final String SHAPES = "/shapes";

    /**
     * After the first pass of a request, adds one output that holds all its forward outputs end
     * to end, and a constant with their shapes (learned from that pass), so that later passes ask
     * for two outputs instead of 3K + 3L + 1: SameDiff rebuilds a map of every variable of the
     * gradient function for each requested output (AbstractSession.output), 7 % of a
     * {@code small} K=5 pass with 23 outputs (JFR). Mixed types stay separate outputs.
     */
    private static void flatOutputs(SameDiff grad, String name, List<String> outputs, Map<String, INDArray> values) {
        DataType type = values.get(outputs.get(0)).dataType();
        long[] encoded = new long[outputs.size() * 9];
        for (int i = 0; i < outputs.size(); i++) {
            INDArray v = values.get(outputs.get(i));
            if (v.dataType() != type || v.rank() > 8) {
                return;
            }
            encoded[9 * i] = v.rank();
            System.arraycopy(v.shape(), 0, encoded, 9 * i + 1, v.rank());
        }
        synchronized (grad) {
            if (grad.hasVariable(name + SHAPES)) {
                return;
            }
            SDVariable[] parts = new SDVariable[outputs.size()];
            for (int i = 0; i < parts.length; i++) {
                parts[i] = grad.reshape(grad.getVariable(outputs.get(i)), values.get(outputs.get(i)).length());
            }
            grad.identity(name, parts.length == 1 ? parts[0] : grad.concat(0, parts));
            grad.constant(name + SHAPES, Nd4j.createFromArray(encoded));
        }
    }

    /** A hash of the placeholders' names and shapes, independent of the map's order. */
    static long shapeSignature(Map<String, INDArray> placeholders) {
        long h = 0;
        for (Map.Entry<String, INDArray> e : placeholders.entrySet()) {
            long x = e.getKey().hashCode();
            for (long d : e.getValue().shape()) {
                x = 31 * x + d;
            }
            // Mixed, then summed: the sum does not depend on iteration order.
            x *= 0x9E3779B97F4A7C15L;
            h += x ^ (x >>> 29);
        }
        return h;
    }

    /** Views of one flat output array with the recorded shapes. */
    private static Map<String, INDArray> unflatten(INDArray flat, List<String> outputs, INDArray shapes) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        long offset = 0;
        for (int i = 0; i < outputs.size(); i++) {
            int rank = (int) shapes.getLong(9L * i);
            long[] shape = new long[rank];
            long n = 1;
            for (int d = 0; d < rank; d++) {
                shape[d] = shapes.getLong(9L * i + 1 + d);
                n *= shape[d];
            }
            out.put(outputs.get(i), flat.get(NDArrayIndex.interval(offset, offset + n)).reshape(shape));
            offset += n;
        }
        return out;
    }

    /**
     * @param outputs forward values by variable name
     * @param gradients gradients by the name of the variable they belong to
     */
    public record Pass(Map<String, INDArray> outputs, Map<String, INDArray> gradients) {}

    private static void build(SameDiff sd) {
        sd.createGradFunction();
    }
}
