package org.metaunsup.unroll;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.metaunsup.basemodel.PhiState;
import org.metaunsup.config.BaseModelConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Everything a truncation graph consumes besides θ: φ at its start, the input permutation,
 * one unlabelled batch per inner step and the labelled support/query batch.
 *
 * @param phi base params before the truncation
 * @param perm input permutation (x[:, perm])
 * @param unlabelled K batches [B, D], unpermuted
 * @param supportX support inputs [nS, D], unpermuted
 * @param supportY support class indices 0..C−1
 * @param queryX query inputs [nQ, D], unpermuted
 * @param queryY query class indices 0..C−1
 * @param classes C
 */
public record TruncationInputs(PhiState phi, int[] perm, List<INDArray> unlabelled, INDArray supportX,
                               int[] supportY, INDArray queryX, int[] queryY, int classes) {

    /**
     * @param graph the graph to feed (its K, shapes and dtype are checked)
     * @return placeholder values by name
     */
    public Map<String, INDArray> placeholders(UnrollGraph graph) {
        DataType dt = graph.dtype();
        if (unlabelled.size() < graph.steps()) {
            throw new IllegalArgumentException("graph has " + graph.steps() + " inner steps, got "
                    + unlabelled.size() + " unlabelled batches");
        }
        Map<String, INDArray> m = new HashMap<>();
        putPhi(m, graph, phi);
        m.put(GraphNames.PERM, Permutation.matrix(perm, dt));
        for (int t = 0; t < graph.steps(); t++) {
            m.put(GraphNames.unlabelled(t), checked(unlabelled.get(t), dt, GraphNames.unlabelled(t),
                    graph.batch(), graph.base().inputWidth()));
        }
        if (graph.hasObjective()) {
            INDArray labelled = Nd4j.concat(0, supportX, queryX);
            m.put(GraphNames.LABELLED_X, checked(labelled, dt, GraphNames.LABELLED_X,
                    graph.supportSize() + graph.querySize(), graph.base().inputWidth()));
            m.put(GraphNames.SUPPORT_Y, oneHot(supportY, graph.classes(), dt));
            m.put(GraphNames.QUERY_Y, oneHot(queryY, graph.classes(), dt));
        }
        return m;
    }

    /**
     * Puts φ's placeholders, checked against the graph's shapes and cast to its type.
     *
     * @param m placeholder map to fill
     * @param graph the graph to feed
     * @param phi base params
     */
    static void putPhi(Map<String, INDArray> m, UnrollGraph graph, PhiState phi) {
        if (phi.depth() != graph.base().depth()) {
            throw new IllegalArgumentException("phi has " + phi.depth() + " layers, the graph "
                    + graph.base().depth());
        }
        BaseModelConfig actual = architecture(graph, phi);
        DataType dt = graph.dtype();
        for (int l = 1; l <= phi.depth(); l++) {
            m.put(GraphNames.phiW(l), checked(phi.w().get(l - 1), dt, GraphNames.phiW(l),
                    actual.width(l - 1), actual.width(l)));
            m.put(GraphNames.phiV(l), checked(phi.v().get(l - 1), dt, GraphNames.phiV(l),
                    actual.width(l - 1), actual.width(l)));
            m.put(GraphNames.phiB(l), checked(phi.b().get(l - 1), dt, GraphNames.phiB(l), actual.width(l)));
        }
        m.putAll(graph.widthInputs(actual));
    }

    /**
     * The architecture a pass runs: the graph's own when its widths are fixed, else the one φ's
     * shapes give (its W^l are [n_{l−1}, n_l]), which the graph must accept.
     */
    static BaseModelConfig architecture(UnrollGraph graph, PhiState phi) {
        if (!graph.widths().anyFree()) {
            return graph.base();
        }
        int[] n = new int[phi.depth() + 1];
        n[0] = (int) phi.w().get(0).size(0);
        for (int l = 1; l <= phi.depth(); l++) {
            n[l] = (int) phi.w().get(l - 1).size(1);
        }
        BaseModelConfig actual = new BaseModelConfig(n, graph.base().activation());
        if (!graph.accepts(actual)) {
            throw new IllegalArgumentException("phi is " + actual.describe() + ", the graph runs "
                    + graph.widths().describe());
        }
        return actual;
    }

    /** Placeholder shapes are not validated by SameDiff (SAMEDIFF-FACTS): check them here. */
    static INDArray checked(INDArray a, DataType dt, String name, long... shape) {
        if (!Arrays.equals(a.shape(), shape)) {
            throw new IllegalArgumentException(name + " has shape " + Arrays.toString(a.shape())
                    + ", the graph expects " + Arrays.toString(shape));
        }
        return a.dataType() == dt ? a : a.castTo(dt);
    }

    /**
     * @param labels class indices
     * @param classes C
     * @param dt array type
     * @return one-hot [n, C]
     */
    public static INDArray oneHot(int[] labels, int classes, DataType dt) {
        INDArray y = Nd4j.zeros(dt, labels.length, classes);
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("label " + labels[i] + " outside 0.." + (classes - 1));
            }
            y.putScalar(i, labels[i], 1.0);
        }
        return y;
    }

    /**
     * @param graph graph whose outputs include the updated φ
     * @param outputs values returned by the graph
     * @return φ after the truncation
     */
    public static PhiState phiAfter(UnrollGraph graph, Map<String, INDArray> outputs) {
        List<INDArray> w = new ArrayList<>();
        List<INDArray> v = new ArrayList<>();
        List<INDArray> b = new ArrayList<>();
        for (int l = 1; l <= graph.base().depth(); l++) {
            w.add(outputs.get(GraphNames.outPhi("W" + l)));
            v.add(outputs.get(GraphNames.outPhi("V" + l)));
            b.add(outputs.get(GraphNames.outPhi("b" + l)));
        }
        return new PhiState(w, v, b);
    }
}
