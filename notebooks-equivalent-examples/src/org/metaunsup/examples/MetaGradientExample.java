package org.metaunsup.examples;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.metaunsup.basemodel.PhiState;
import org.metaunsup.cli.ProcessSetup;
import org.metaunsup.config.ConfigLoader;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.data.DataSplits;
import org.metaunsup.data.Datasets;
import org.metaunsup.data.Task;
import org.metaunsup.data.TaskConfig;
import org.metaunsup.data.TaskSampler;
import org.metaunsup.rule.Theta;
import org.metaunsup.rule.ThetaSpec;
import org.metaunsup.unroll.MetaGradient;
import org.metaunsup.unroll.TruncationInputs;
import org.metaunsup.unroll.UnrollGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One truncation on real data: K inner steps of the rule on unlabelled alphabet batches, the
 * ridge meta-objective after each step, and the meta-gradient w.r.t. every θ tensor.
 */
public final class MetaGradientExample {

    private MetaGradientExample() {}

    /**
     * @param config config name
     * @param steps K
     * @param seed seed of θ, task and base model
     * @return the truncation's results
     */
    public static MetaGradient run(String config, int steps, long seed) {
        ProcessSetup.init();   // this program owns its process: the command line's settings
        DataSplits letters = Datasets.load("alphabet14");
        ExperimentConfig cfg = ConfigLoader.load(config).withInputWidth(letters.train().dim());
        Task task = new TaskSampler(letters.train(), TaskConfig.forObjective(cfg.objective())).sample(seed);
        List<INDArray> batches = new ArrayList<>();
        for (int t = 0; t < steps; t++) {
            batches.add(task.unlabelled(t, cfg.innerBatch()).features(DataType.FLOAT));
        }
        TruncationInputs in = new TruncationInputs(PhiState.init(cfg.base(), seed, DataType.FLOAT),
                task.permutation(), batches, task.support().features(DataType.FLOAT), task.support().y(),
                task.query().features(DataType.FLOAT), task.query().y(), cfg.objective().classes());
        Theta theta = Theta.init(new ThetaSpec(cfg.rule(), cfg.base().topWidth()), seed, DataType.FLOAT);
        return MetaGradient.compute(UnrollGraph.build(cfg.graph(), cfg.base(), steps, theta, true, DataType.FLOAT), in);
    }

    /** @param args ignored */
    public static void main(String[] args) {
        MetaGradient mg = run("small", 3, 1);
        System.out.printf(Locale.ROOT, "summed meta-loss %.4f, per step %s, gradient norm %.3e%n", mg.metaLoss(),
                Arrays.toString(mg.stepLoss()), mg.globalNorm());
        for (Map.Entry<String, INDArray> e : mg.gradient().values().entrySet()) {
            System.out.printf(Locale.ROOT, "  %-28s |grad| %.3e%n", e.getKey(), e.getValue().norm2Number().doubleValue());
        }
    }
}
