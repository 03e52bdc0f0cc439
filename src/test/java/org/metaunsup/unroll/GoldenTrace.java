package org.metaunsup.unroll;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.metaunsup.io.Npy;
import org.metaunsup.rule.Theta;
import org.metaunsup.rule.ThetaSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Loads the committed golden trace (test resources) by canonical name. */
final class GoldenTrace {

    private final Path dir;

    GoldenTrace(String name) {
        try {
            dir = Path.of(GoldenTrace.class.getResource("/golden/" + name + "/index.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    INDArray get(String canonical) {
        return Npy.read(dir.resolve(canonical.replace("/", "__") + ".npy"), DataType.DOUBLE);
    }

    Theta theta(ThetaSpec spec) {
        Map<String, INDArray> v = new LinkedHashMap<>();
        for (ThetaSpec.Tensor t : spec.tensors()) {
            v.put(t.name(), get("theta/" + t.name()));
        }
        return new Theta(spec, v);
    }

    int[] perm() {
        double[] p = get("input/perm").data().asDouble();
        int[] out = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = (int) p[i];
        }
        return out;
    }

    /** The trace's inputs for a K-step unroll from its φ. */
    TruncationInputs inputs(org.metaunsup.config.ExperimentConfig cfg, int steps) {
        int depth = cfg.base().depth();
        java.util.List<INDArray> w = new java.util.ArrayList<>();
        java.util.List<INDArray> v = new java.util.ArrayList<>();
        java.util.List<INDArray> b = new java.util.ArrayList<>();
        for (int l = 1; l <= depth; l++) {
            w.add(get("phi/W" + l));
            v.add(get("phi/V" + l));
            b.add(get("phi/b" + l));
        }
        java.util.List<INDArray> xs = new java.util.ArrayList<>();
        for (int t = 0; t < steps; t++) {
            xs.add(get("input/x" + t));
        }
        return new TruncationInputs(new org.metaunsup.basemodel.PhiState(w, v, b), perm(), xs,
                get("input/support_x"), labels("input/support_y"), get("input/query_x"), labels("input/query_y"),
                cfg.objective().classes());
    }

    private int[] labels(String name) {
        double[] d = get(name).data().asDouble();
        int[] out = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = (int) d[i];
        }
        return out;
    }
}
