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
}
