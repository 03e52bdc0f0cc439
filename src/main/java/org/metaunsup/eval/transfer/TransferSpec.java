package org.metaunsup.eval.transfer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.config.TaskDistributionConfig;
import org.metaunsup.eval.EvalData;
import org.metaunsup.eval.EvalProtocol;
import org.metaunsup.eval.RuleSource;
import org.metaunsup.report.Provenance;

/**
 * One architecture-transfer run as the command line asks for it: the study it runs, and what its
 * files and manifest say about it (title, the architectures, the range θ was meta-trained on and
 * where that range is recorded). Immutable.
 */
public final class TransferSpec {

    private final TransferStudy study;
    private final EvalData data;
    private final EvalProtocol protocol;
    private final long runSeed;
    private final RuleSource.Loaded rule;
    private final List<Integer> widths;
    private final List<Integer> depths;
    private final TransferFiles.Description description;

    /**
     * @param cfg rule widths, inner batch, η, the base model the sweeps start from and the task
     *     distribution (the training range when θ's card records none)
     * @param data the data
     * @param protocol readout sizes; every architecture is measured at 0 and {@code protocol.steps()}
     * @param runSeed run seed, the same at every architecture
     * @param rule the frozen rule
     * @param methods method ids
     * @param widths hidden widths of the width sweep
     * @param depths hidden layers of the depth sweep
     */
    public TransferSpec(ExperimentConfig cfg, EvalData data, EvalProtocol protocol, long runSeed,
                        RuleSource.Loaded rule, List<String> methods, List<Integer> widths, List<Integer> depths) {
        this.study = new TransferStudy(cfg, data, protocol, runSeed, rule, methods, widths, depths);
        this.data = data;
        this.protocol = protocol;
        this.runSeed = runSeed;
        this.rule = rule;
        this.widths = List.copyOf(widths);
        this.depths = List.copyOf(depths);
        // The range shaded in the figure is the one θ was meta-trained on when its file says so.
        TaskDistributionConfig trained = rule.recordedTasks() != null ? rule.recordedTasks() : cfg.task();
        String rangeSource = rule.recordedTasks() != null ? "recorded in the theta file's card"
                : "task.* of config " + cfg.name();
        String ruleName = rule.isRandom() ? "meta-initialised rule (random theta)"
                : "rule " + Path.of(rule.spec()).getFileName();
        this.description = new TransferFiles.Description(String.format(Locale.ROOT,
                "Architecture transfer on %s: %s, %d-shot, %d seeds", data.name(), ruleName, protocol.shots(),
                protocol.seeds()), study.protocol().describe(), rule.description(), protocol.steps(),
                TransferStudy.trainingRange(trained, TransferStudy.Axis.WIDTH),
                TransferStudy.trainingRange(trained, TransferStudy.Axis.DEPTH), rangeSource);
    }

    /** @return the study */
    public TransferStudy study() {
        return study;
    }

    /** @return what the files say about the run */
    public TransferFiles.Description description() {
        return description;
    }

    /**
     * @param dir where the results so far are
     * @return the line a run starts with
     */
    public String startLine(Path dir) {
        return "transfer: " + study.points().size() + " architectures, methods "
                + String.join(", ", study.labels().keySet()) + ", " + protocol.steps() + " steps, " + protocol.seeds()
                + " seeds each; results so far in " + dir;
    }

    /**
     * @param p the run's provenance so far (command, config, data)
     * @return {@code p} with the study's seeds and fields
     */
    public Provenance.Builder record(Provenance.Builder p) {
        List<Long> evalSeeds = new ArrayList<>();
        for (int i = 0; i < protocol.seeds(); i++) {
            evalSeeds.add(study.seed(i));
        }
        List<Map<String, Object>> archs = new ArrayList<>();
        for (TransferStudy.Point a : study.points()) {
            archs.add(Provenance.ordered("axis", a.axis().id(), "width", a.width(), "depth", a.depth(),
                    "base", a.base().describe()));
        }
        return p.seed("run", runSeed).seed("evaluation_seeds", evalSeeds)
                .seed("derivation", "seed i = Seeds.derive(run, \"seed-i\"), the same at every architecture; per "
                        + "seed: phi-init, eval-permutation, eval-data-order, eval-query, eval-support, logistic-init")
                .field("rule", rule.description()).field("rule_top_units", rule.topUnits())
                .field("widths", widths).field("depths", depths).field("steps", protocol.steps())
                .field("seeds_per_architecture", protocol.seeds())
                .field("methods", new ArrayList<>(study.labels().keySet()))
                .field("architectures", archs)
                .field("meta_training_range", Provenance.ordered("hidden_width", description.widthRange().toString(),
                        "hidden_layers", description.depthRange().toString(), "source", description.rangeSource()))
                .field("protocol", study.protocol().describe());
    }
}
