package org.metaunsup.unroll;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.io.TraceFiles;
import org.metaunsup.rule.Theta;
import org.metaunsup.rule.ThetaSpec;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The committed golden trace (test resources), read with the same code as {@code trace --verify}. */
final class GoldenTrace {

    private final Map<String, INDArray> tensors;

    GoldenTrace(String name) {
        try {
            tensors = TraceFiles.read(
                    Path.of(GoldenTrace.class.getResource("/golden/" + name + "/index.json").toURI()).getParent());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    INDArray get(String canonical) {
        INDArray a = tensors.get(canonical);
        if (a == null) {
            throw new IllegalArgumentException("golden trace has no " + canonical);
        }
        return a;
    }

    Theta theta(ThetaSpec spec) {
        return Trace.thetaOf(spec, tensors);
    }

    /** The trace's φ and inputs for a K-step unroll (K ≤ 2). */
    TruncationInputs inputs(ExperimentConfig cfg, int steps) {
        return Trace.inputsOf(tensors, cfg.base().depth(), steps, cfg.objective().classes());
    }
}
