package org.metaunsup.eval.curves;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.data.DataSplits;
import org.metaunsup.data.Task;
import org.metaunsup.data.TaskConfig;
import org.metaunsup.data.TaskSampler;
import org.metaunsup.eval.RuleSource;
import org.metaunsup.util.Seeds;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The study of {@code demo}: a rule applied to fresh base models, one per task, against the same
 * base models never trained (random features), with the few-shot ridge readout every few steps
 * ({@link InnerLoop}). Task i is drawn from stream {@code task-i} of the run seed and its φ₀ from
 * {@code phi-i}.
 */
public final class DemoStudy {

    /** Told what happens, for progress displays. */
    public interface Listener {
        /**
         * @param task task index (0-based)
         */
        void taskStarted(int task);

        /**
         * @param task task index (0-based)
         * @param p a point of the rule's curve
         */
        void measured(int task, InnerLoop.Point p);
    }

    /**
     * The curves measured, one per completed task.
     *
     * @param rule the rule's curves
     * @param random the curves of the same base models never trained
     */
    public record Curves(List<List<InnerLoop.Point>> rule, List<List<InnerLoop.Point>> random) {

        /** Copies, so that a result never changes. */
        public Curves {
            rule = List.copyOf(rule);
            random = List.copyOf(random);
        }

        /** @return completed tasks */
        public int tasks() {
            return rule.size();
        }
    }

    private final ExperimentConfig cfg;
    private final DataSplits data;
    private final RuleSource.Loaded rule;
    private final int steps;
    private final int every;
    private final int seeds;
    private final long seed;
    private final List<List<InnerLoop.Point>> ruleCurves = new ArrayList<>();
    private final List<List<InnerLoop.Point>> randomCurves = new ArrayList<>();

    /**
     * @param cfg rule widths, inner batch, η, objective and base model
     * @param data the dataset (its training split is sampled)
     * @param rule the rule (not {@code none})
     * @param steps inner steps per task
     * @param every measurement period
     * @param seeds tasks
     * @param seed run seed
     */
    public DemoStudy(ExperimentConfig cfg, DataSplits data, RuleSource.Loaded rule, int steps, int every, int seeds,
                     long seed) {
        this.cfg = cfg;
        this.data = data;
        this.rule = rule;
        this.steps = steps;
        this.every = every;
        this.seeds = seeds;
        this.seed = seed;
    }

    /**
     * Runs every task, or those before a stop.
     *
     * @param listener progress
     * @param stop polled between tasks
     * @return the curves of the completed tasks
     * @throws org.metaunsup.DivergenceException when the rule's base model diverges
     */
    public Curves run(Listener listener, BooleanSupplier stop) {
        TaskSampler sampler = new TaskSampler(data.train(), TaskConfig.forObjective(cfg.objective()));
        InnerLoop withRule = new InnerLoop(cfg, cfg.base(), rule.theta(), DataType.FLOAT);
        InnerLoop random = new InnerLoop(cfg, cfg.base(), null, DataType.FLOAT);
        for (int i = 0; i < seeds && !stop.getAsBoolean(); i++) {
            Task task = sampler.sample(Seeds.derive(seed, "task-" + i));
            long phiSeed = Seeds.derive(seed, "phi-" + i);
            final int k = i;
            listener.taskStarted(i);
            List<InnerLoop.Point> curve = withRule.run(task, phiSeed, steps, every,
                    "the base model of task " + (i + 1) + " under the " + rule.description(),
                    p -> listener.measured(k, p));
            randomCurves.add(random.run(task, phiSeed, steps, every, null));
            ruleCurves.add(curve);
        }
        return measured();
    }

    /** @return the curves of the tasks completed so far (what a failed or stopped run keeps) */
    public Curves measured() {
        return new Curves(ruleCurves, randomCurves);
    }

    /** @return tasks in all */
    public int seeds() {
        return seeds;
    }

    /** @return inner steps per task */
    public int steps() {
        return steps;
    }
}
