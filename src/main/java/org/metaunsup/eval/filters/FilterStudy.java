package org.metaunsup.eval.filters;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import org.metaunsup.BadInputException;
import org.metaunsup.DivergenceException;
import org.metaunsup.basemodel.PhiState;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.eval.EvalData;
import org.metaunsup.eval.UnlabelledStream;
import org.metaunsup.eval.method.RuleStepper;
import org.metaunsup.rule.Theta;
import org.metaunsup.util.Seeds;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * First-layer filters of base models trained with frozen rules (the paper's Figures 2 and 4):
 * every rule trains a fresh base model from the same φ₀ on the same unlabelled batches, in
 * pixel order (the identity permutation, so that a filter can be shown as an image), and the
 * first {@code units} columns of W¹ are returned. Starting every rule from the same φ₀ and data
 * makes rows differ only by the rule.
 */
public final class FilterStudy {

    /**
     * One trained base model's first-layer filters.
     *
     * @param label the rule's legend text
     * @param steps inner steps taken (fewer than asked when stopped)
     * @param filters [units][D] weights in the dataset's channel-major pixel order
     */
    public record Filters(String label, int steps, float[][] filters) {}

    /**
     * A rule to train with.
     *
     * @param label legend text (e.g. its outer step)
     * @param theta the rule, or null for φ₀ itself (no training)
     */
    public record Rule(String label, Theta theta) {}

    private final ExperimentConfig config;
    private final BaseModelConfig arch;
    private final EvalData data;
    private final long seed;

    /**
     * @param config rule settings (inner batch, η)
     * @param arch base architecture, input width = the data's D
     * @param data the dataset (its unlabelled training split is used)
     * @param seed fixes φ₀ ({@code phi-init}) and the batch order ({@code eval-data-order})
     */
    public FilterStudy(ExperimentConfig config, BaseModelConfig arch, EvalData data, long seed) {
        if (arch.inputWidth() != data.dim()) {
            throw new BadInputException("architecture input width " + arch.inputWidth()
                    + " differs from the data's " + data.dim());
        }
        this.config = config.withBase(arch);
        this.arch = arch;
        this.data = data;
        this.seed = seed;
    }

    /**
     * @param rules rules in row order
     * @param steps inner steps per rule
     * @param units filters kept (the first units of layer 1)
     * @param progress told after every inner step
     * @param stop polled between steps; a stopped rule keeps the filters reached so far
     * @return one entry per rule (fewer when stopped)
     */
    public List<Filters> run(List<Rule> rules, int steps, int units, IntConsumer progress, BooleanSupplier stop) {
        int keep = Math.min(units, arch.width(1));
        int[] identity = EvalData.range(data.dim());
        List<Filters> out = new ArrayList<>();
        for (Rule r : rules) {
            PhiState phi = PhiState.init(arch, Seeds.derive(seed, "phi-init"), DataType.FLOAT);
            int done = 0;
            if (r.theta() != null) {
                RuleStepper stepper = new RuleStepper(config, arch, r.theta(), DataType.FLOAT);
                UnlabelledStream batches = data.unlabelled(seed, config.innerBatch(), identity);
                while (done < steps && !stop.getAsBoolean()) {
                    phi = stepper.step(phi, batches.next(DataType.FLOAT));
                    done++;
                    progress.accept(done);
                }
                if (!phi.isFinite()) {
                    throw new DivergenceException("the base model under rule " + r.label(), done,
                            "non-finite weights", null);
                }
            }
            out.add(new Filters(r.label(), done, columns(phi.w().get(0), keep)));
            if (stop.getAsBoolean()) {
                break;
            }
        }
        return out;
    }

    private static float[][] columns(INDArray w, int keep) {
        INDArray cols = w.castTo(DataType.FLOAT);
        float[][] f = new float[keep][];
        for (int j = 0; j < keep; j++) {
            f[j] = cols.getColumn(j).dup().toFloatVector();
        }
        return f;
    }
}
