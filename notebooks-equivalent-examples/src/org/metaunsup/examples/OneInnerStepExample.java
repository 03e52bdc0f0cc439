package org.metaunsup.examples;

import java.util.List;
import java.util.Locale;
import org.metaunsup.cli.ProcessSetup;
import org.metaunsup.config.ConfigLoader;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.data.DataSplits;
import org.metaunsup.data.Datasets;
import org.metaunsup.data.Task;
import org.metaunsup.data.TaskConfig;
import org.metaunsup.data.TaskSampler;
import org.metaunsup.eval.curves.InnerLoop;
import org.metaunsup.rule.Theta;
import org.metaunsup.rule.ThetaSpec;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Apply a (here randomly initialised) rule for a few inner steps to a fresh base model on
 * unlabelled MNIST 14×14 and watch the 10-shot ridge accuracy of its features.
 */
public final class OneInnerStepExample {

    private OneInnerStepExample() {}

    /**
     * @param config config name (rule widths, base model, objective)
     * @param steps inner steps to apply
     * @param seed seed of θ, task and base model
     * @return the learning curve, step 0 first
     */
    public static List<InnerLoop.Point> run(String config, int steps, long seed) {
        ProcessSetup.init();   // this program owns its process: the command line's settings
        DataSplits mnist = Datasets.load("mnist14");
        ExperimentConfig cfg = ConfigLoader.load(config).withInputWidth(mnist.train().dim());
        Theta theta = Theta.init(new ThetaSpec(cfg.rule(), cfg.base().topWidth()), seed, DataType.FLOAT);
        Task task = new TaskSampler(mnist.train(), TaskConfig.forObjective(cfg.objective())).sample(seed);
        return new InnerLoop(cfg, cfg.base(), theta, DataType.FLOAT).run(task, seed, steps, Math.max(1, steps / 4), null);
    }

    /** @param args ignored */
    public static void main(String[] args) {
        for (InnerLoop.Point p : run("small", 20, 1)) {
            System.out.printf(Locale.ROOT, "step %3d  meta-loss %.4f  10-shot accuracy %.3f%n", p.step(),
                    p.metaLoss(), p.queryAccuracy());
        }
    }
}
