package org.metaunsup.eval;

import java.util.List;
import org.metaunsup.basemodel.PhiState;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.rule.Theta;
import org.metaunsup.unroll.TruncationInputs;
import org.metaunsup.unroll.UnrollGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One inner step of a frozen rule, φ → φ', on one unlabelled batch. The only place evaluation
 * touches the unroll graphs: a K = 1 unroll without objective whose permutation input is the
 * identity, because evaluation permutes its data before any method sees it. When the shared
 * forward rule-step API lands in {@code unroll}, this adapter is what switches to it.
 */
final class RuleStepper {

    private final UnrollGraph graph;
    private final int[] identity;

    RuleStepper(ExperimentConfig cfg, BaseModelConfig arch, Theta theta, DataType dtype) {
        this.graph = UnrollGraph.build(cfg.graph().withBase(arch), arch, 1, theta, false, dtype);
        this.identity = EvalData.range(arch.inputWidth());
    }

    /** @return the inner batch size the step graph takes */
    int batch() {
        return graph.batch();
    }

    PhiState step(PhiState phi, INDArray x) {
        TruncationInputs in = new TruncationInputs(phi, identity, List.of(x), null, null, null, null, 0);
        return TruncationInputs.phiAfter(graph, graph.sameDiff().output(in.placeholders(graph),
                graph.outputPhiNames()));
    }
}
