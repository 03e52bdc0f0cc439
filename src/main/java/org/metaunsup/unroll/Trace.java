package org.metaunsup.unroll;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.metaunsup.BadInputException;
import org.metaunsup.basemodel.PhiState;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.io.TraceFiles;
import org.metaunsup.rule.Theta;
import org.metaunsup.rule.ThetaGraph;
import org.metaunsup.rule.ThetaSpec;
import org.metaunsup.util.Seeds;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The numbers of one inner step and of a K=2 unroll in the interchange vocabulary of
 * docs/METHOD.md#canonical-names, so that an independent implementation can check ours (and we theirs).
 * Always computed in float64.
 */
public final class Trace {

    /** Inner steps of the traced unroll. */
    public static final int K = 2;

    private Trace() {}

    /**
     * Draws θ, φ and inputs from the seed and computes every traced output.
     *
     * @param cfg config (its default base model is traced)
     * @param seed run seed; named streams theta-init, phi-init, perm, unlabelled, labelled
     * @return entries in index order
     */
    public static List<TraceFiles.Entry> generate(ExperimentConfig cfg, long seed) {
        BaseModelConfig base = cfg.base();
        ThetaSpec spec = new ThetaSpec(cfg.rule(), base.topWidth());
        Theta theta = Theta.init(spec, Seeds.derive(seed, "theta-init"), DataType.DOUBLE);
        PhiState phi = PhiState.init(base, Seeds.derive(seed, "phi-init"), DataType.DOUBLE);
        int d = base.inputWidth();
        int[] perm = Permutation.random(d, Seeds.stream(seed, "perm"));
        SplittableRandom data = Seeds.stream(seed, "unlabelled");
        List<INDArray> xs = new ArrayList<>();
        for (int t = 0; t < K; t++) {
            xs.add(uniform(data, cfg.innerBatch(), d));
        }
        SplittableRandom labelled = Seeds.stream(seed, "labelled");
        int c = cfg.objective().classes();
        INDArray supportX = uniform(labelled, cfg.objective().supportSize(), d);
        INDArray queryX = uniform(labelled, cfg.objective().querySize(), d);
        TruncationInputs in = new TruncationInputs(phi, perm, xs, supportX,
                balanced(c, cfg.objective().supportPerClass()), queryX, balanced(c, cfg.objective().queryPerClass()), c);
        return compute(cfg, base, theta, in);
    }

    /**
     * Computes the traced outputs for given θ and inputs.
     *
     * @param cfg config
     * @param base base model shape
     * @param theta θ
     * @param in φ and inputs (at least K unlabelled batches)
     * @return θ, φ, inputs and outputs as trace entries
     */
    public static List<TraceFiles.Entry> compute(ExperimentConfig cfg, BaseModelConfig base, Theta theta,
                                                 TruncationInputs in) {
        List<TraceFiles.Entry> out = new ArrayList<>();
        for (Map.Entry<String, INDArray> e : theta.values().entrySet()) {
            out.add(new TraceFiles.Entry(ThetaGraph.PREFIX + e.getKey(), e.getValue(), "rule parameters"));
        }
        for (int l = 1; l <= base.depth(); l++) {
            out.add(new TraceFiles.Entry(GraphNames.phiW(l), in.phi().w().get(l - 1), "base params"));
            out.add(new TraceFiles.Entry(GraphNames.phiV(l), in.phi().v().get(l - 1), "base params"));
            out.add(new TraceFiles.Entry(GraphNames.phiB(l), in.phi().b().get(l - 1), "base params"));
        }
        double[] perm = new double[in.perm().length];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = in.perm()[i];
        }
        out.add(new TraceFiles.Entry("input/perm", Nd4j.createFromArray(perm), "inputs"));
        for (int t = 0; t < K; t++) {
            out.add(new TraceFiles.Entry("input/x" + t, in.unlabelled().get(t), "inputs"));
        }
        out.add(new TraceFiles.Entry("input/support_x", in.supportX(), "inputs"));
        out.add(new TraceFiles.Entry("input/support_y", labels(in.supportY()), "inputs"));
        out.add(new TraceFiles.Entry("input/query_x", in.queryX(), "inputs"));
        out.add(new TraceFiles.Entry("input/query_y", labels(in.queryY()), "inputs"));

        PhiState stepped = new RuleStep(cfg.graph(), base, theta, DataType.DOUBLE)
                .apply(in.phi(), in.perm(), in.unlabelled().get(0));
        for (int l = 1; l <= base.depth(); l++) {
            out.add(new TraceFiles.Entry("step/phi/W" + l, stepped.w().get(l - 1), "after one inner step"));
            out.add(new TraceFiles.Entry("step/phi/V" + l, stepped.v().get(l - 1), "after one inner step"));
            out.add(new TraceFiles.Entry("step/phi/b" + l, stepped.b().get(l - 1), "after one inner step"));
        }

        MetaGradient mg = MetaGradient.compute(UnrollGraph.build(cfg.graph(), base, K, theta, true, DataType.DOUBLE),
                in);
        out.add(new TraceFiles.Entry("unroll/meta_loss", Nd4j.scalar(DataType.DOUBLE, mg.metaLoss()), "K=2 unroll"));
        out.add(new TraceFiles.Entry("unroll/meta_loss_per_step", Nd4j.createFromArray(mg.stepLoss()), "K=2 unroll"));
        for (Map.Entry<String, INDArray> e : mg.gradient().values().entrySet()) {
            out.add(new TraceFiles.Entry("unroll/grad/" + e.getKey(), e.getValue(), "K=2 unroll meta-gradient"));
        }
        return out;
    }

    /**
     * Recomputes the outputs of a trace folder's θ, φ and inputs with our graph.
     *
     * @param cfg config whose rule widths match the trace
     * @param base base model shape of the trace
     * @param trace the trace's tensors by name
     * @return our entries for the same inputs
     */
    public static List<TraceFiles.Entry> replay(ExperimentConfig cfg, BaseModelConfig base,
                                                Map<String, INDArray> trace) {
        checkInputs(cfg, base, trace);
        return compute(cfg, base, thetaOf(new ThetaSpec(cfg.rule(), base.topWidth()), trace),
                inputsOf(trace, base.depth(), K, cfg.objective().classes()));
    }

    /**
     * Checks a trace's θ, φ and inputs against the shapes the graph for this config and base
     * model takes, and that they are finite (labels in range, the permutation a permutation),
     * before anything is computed: another implementation's trace fails with one line naming
     * the tensor, not inside a native op.
     *
     * @param cfg config (rule widths, inner batch, objective sizes)
     * @param base base model shape
     * @param trace the trace's tensors by name
     * @throws org.metaunsup.BadInputException naming the first bad tensor
     */
    public static void checkInputs(ExperimentConfig cfg, BaseModelConfig base, Map<String, INDArray> trace) {
        for (ThetaSpec.Tensor t : new ThetaSpec(cfg.rule(), base.topWidth()).tensors()) {
            check(trace, ThetaGraph.PREFIX + t.name(), t.shape());
        }
        for (int l = 1; l <= base.depth(); l++) {
            long[] w = {base.width(l - 1), base.width(l)};
            check(trace, GraphNames.phiW(l), w);
            check(trace, GraphNames.phiV(l), w);
            check(trace, GraphNames.phiB(l), new long[] {base.width(l)});
        }
        int d = base.inputWidth();
        for (int t = 0; t < K; t++) {
            check(trace, "input/x" + t, new long[] {cfg.innerBatch(), d});
        }
        int[] perm = ints(check(trace, "input/perm", new long[] {d}));
        boolean[] seen = new boolean[d];
        for (int p : perm) {
            if (p < 0 || p >= d || seen[p]) {
                throw new BadInputException("trace tensor input/perm is not a permutation of 0.."
                        + (d - 1));
            }
            seen[p] = true;
        }
        int c = cfg.objective().classes();
        for (String part : new String[] {"support", "query"}) {
            long rows = part.equals("support") ? cfg.objective().supportSize() : cfg.objective().querySize();
            check(trace, "input/" + part + "_x", new long[] {rows, d});
            INDArray y = check(trace, "input/" + part + "_y", new long[] {rows});
            for (double v : y.castTo(DataType.DOUBLE).data().asDouble()) {
                if (v != Math.rint(v) || v < 0 || v >= c) {
                    throw new BadInputException("trace tensor input/" + part + "_y holds " + v
                            + ", not a class index in 0.." + (c - 1));
                }
            }
        }
    }

    private static INDArray check(Map<String, INDArray> trace, String name, long[] shape) {
        INDArray a = require(trace, name);
        if (!Arrays.equals(a.shape(), shape)) {
            throw new BadInputException("trace tensor " + name + " has shape "
                    + Arrays.toString(a.shape()) + ", the config and base model need "
                    + Arrays.toString(shape));
        }
        if (a.isNaN().any() || a.isInfinite().any()) {
            throw new BadInputException("trace tensor " + name + " holds NaN or infinite values");
        }
        return a;
    }

    /**
     * @param spec the θ tensors to read
     * @param trace a trace's tensors by name
     * @return the trace's θ
     */
    public static Theta thetaOf(ThetaSpec spec, Map<String, INDArray> trace) {
        Map<String, INDArray> th = new LinkedHashMap<>();
        for (ThetaSpec.Tensor t : spec.tensors()) {
            th.put(t.name(), require(trace, ThetaGraph.PREFIX + t.name()));
        }
        return new Theta(spec, th);
    }

    /**
     * @param trace a trace's tensors by name
     * @param depth base model layers L
     * @param steps unlabelled batches to take (at most the trace's K)
     * @param classes N-way of the labels
     * @return the trace's φ and inputs
     */
    public static TruncationInputs inputsOf(Map<String, INDArray> trace, int depth, int steps, int classes) {
        List<INDArray> w = new ArrayList<>();
        List<INDArray> v = new ArrayList<>();
        List<INDArray> b = new ArrayList<>();
        for (int l = 1; l <= depth; l++) {
            w.add(require(trace, GraphNames.phiW(l)));
            v.add(require(trace, GraphNames.phiV(l)));
            b.add(require(trace, GraphNames.phiB(l)));
        }
        List<INDArray> xs = new ArrayList<>();
        for (int t = 0; t < steps; t++) {
            xs.add(require(trace, "input/x" + t));
        }
        return new TruncationInputs(new PhiState(w, v, b), ints(require(trace, "input/perm")), xs,
                require(trace, "input/support_x"), ints(require(trace, "input/support_y")),
                require(trace, "input/query_x"), ints(require(trace, "input/query_y")), classes);
    }

    private static INDArray require(Map<String, INDArray> trace, String name) {
        INDArray a = trace.get(name);
        if (a == null) {
            throw new BadInputException("trace has no tensor " + name);
        }
        return a;
    }

    private static int[] ints(INDArray a) {
        double[] d = a.castTo(DataType.DOUBLE).data().asDouble();
        int[] out = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = (int) Math.round(d[i]);
        }
        return out;
    }

    private static INDArray labels(int[] y) {
        double[] d = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            d[i] = y[i];
        }
        return Nd4j.createFromArray(d);
    }

    private static int[] balanced(int classes, int perClass) {
        int[] y = new int[classes * perClass];
        for (int i = 0; i < y.length; i++) {
            y[i] = i / perClass;
        }
        return y;
    }

    private static INDArray uniform(SplittableRandom rng, int rows, int cols) {
        double[] d = new double[rows * cols];
        for (int i = 0; i < d.length; i++) {
            d[i] = rng.nextDouble();
        }
        return Nd4j.create(d, new long[] {rows, cols}, DataType.DOUBLE);
    }
}
