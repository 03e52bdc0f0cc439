package org.metaunsup.eval.invariance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.eval.EvalData;
import org.metaunsup.eval.EvalProtocol;
import org.metaunsup.eval.FeatureMethod;
import org.metaunsup.report.Provenance;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * One input-order invariance run as the command line asks for it: the study it runs, and what
 * its files and manifest say about it (labels, title, the permutations and their seeds, the
 * supervised baseline's recipe). Immutable.
 */
public final class InvarianceSpec {

    private final InvarianceStudy study;
    private final EvalData data;
    private final BaseModelConfig base;
    private final EvalProtocol protocol;
    private final int permutations;
    private final InvarianceStudy.ExtractorRecipe recipe;
    private final long runSeed;
    private final FeatureMethod rule;
    private final String ruleDescription;

    /**
     * @param cfg rule widths, inner batch and η
     * @param base the base architecture
     * @param data the data
     * @param protocol readout sizes; the rule is measured after {@code protocol.steps()} steps
     * @param permutations random permutations besides the identity
     * @param recipe how the supervised extractor is trained
     * @param runSeed run seed
     * @param rule the rule as a feature method
     * @param ruleDescription where the rule came from (the manifest's {@code rule})
     */
    public InvarianceSpec(ExperimentConfig cfg, BaseModelConfig base, EvalData data, EvalProtocol protocol,
                          int permutations, InvarianceStudy.ExtractorRecipe recipe, long runSeed, FeatureMethod rule,
                          String ruleDescription) {
        this.study = new InvarianceStudy(cfg, base, data, protocol, permutations, recipe, runSeed, DataType.FLOAT);
        this.data = data;
        this.base = base;
        this.protocol = protocol;
        this.permutations = permutations;
        this.recipe = recipe;
        this.runSeed = runSeed;
        this.rule = rule;
        this.ruleDescription = ruleDescription;
    }

    /** @return the study */
    public InvarianceStudy study() {
        return study;
    }

    /** @return the rule as a feature method */
    public FeatureMethod rule() {
        return rule;
    }

    /** @return legend text per method id, in display order */
    public Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(rule.id(), rule.label());
        labels.put(InvarianceStudy.EXTRACTOR, "supervised extractor on unpermuted pixels, then fixed");
        labels.put(InvarianceStudy.RAW, "raw pixels");
        return labels;
    }

    /** @return the line a run starts with */
    public String startLine() {
        return "invariance: " + rule.id() + ", " + InvarianceStudy.EXTRACTOR + " and raw pixels on " + data.name()
                + ", identity + " + permutations + " random; " + study.describe();
    }

    /** @return the seeds of permutations 1 … P */
    public List<Long> permutationSeeds() {
        List<Long> seeds = new ArrayList<>();
        for (int p = 1; p < study.permutationCount(); p++) {
            seeds.add(study.permutationSeed(p));
        }
        return seeds;
    }

    /**
     * @param p the run's provenance so far (command, config, data)
     * @return {@code p} with the study's seeds and fields
     */
    public Provenance.Builder record(Provenance.Builder p) {
        List<Map<String, Object>> perms = new ArrayList<>();
        for (int i = 0; i < study.permutationCount(); i++) {
            Map<String, Object> e = Provenance.ordered("name", InvarianceTable.name(i));
            if (i > 0) {
                e.put("seed", study.permutationSeed(i));
                e.put("stream", "invariance-permutation-" + i);
            }
            e.put("first_columns", Arrays.stream(study.permutation(i)).limit(12).boxed().toList());
            perms.add(e);
        }
        List<Long> evalSeeds = new ArrayList<>();
        for (int i = 0; i < protocol.seeds(); i++) {
            evalSeeds.add(study.seed(i));
        }
        return p.seed("run", runSeed).seed("evaluation_seeds", evalSeeds).seed("permutations", perms)
                .seed("derivation", "seed i = Seeds.derive(run, \"seed-i\"), as in evaluate; per seed: phi-init "
                        + "(the rule's and the extractor's phi0), eval-data-order, eval-query, eval-support, "
                        + "logistic-init, extractor-labels, extractor-head; permutation p >= 1 = Fisher-Yates shuffle "
                        + "of 0..D-1 with SplittableRandom(Seeds.derive(run, \"invariance-permutation-p\")), the same "
                        + "for every seed; permuted column j = original column perm[j]")
                .field("rule", ruleDescription).field("base", base.describe())
                .field("protocol", study.describe()).field("rule_measured_at_step", protocol.steps())
                .field("baseline", Provenance.ordered("id", InvarianceStudy.EXTRACTOR, "trained_on", recipe.describe(),
                        "labelled_images_per_class", recipe.perClass(), "adam_steps", recipe.steps(),
                        "readouts", "ridge, logistic, prototype (nearest class mean of the support features)"));
    }

    /**
     * @param points what was measured
     * @return the aggregated table
     */
    public InvarianceTable table(List<InvarianceStudy.Point> points) {
        return new InvarianceTable(points, labels(), protocol.steps(), permutationSeeds());
    }

    /**
     * @param extractorTrainingAccuracy training accuracy of the extractor, per seed trained
     * @param complete false when stopped early or after a failure
     * @return what the summary and the figure say about the run
     */
    public InvarianceFiles.Context context(List<Double> extractorTrainingAccuracy, boolean complete) {
        String title = String.format(Locale.ROOT, "Input-order invariance: %s, base %s, %d seeds, %d-shot, rule at "
                + "step %d", data.name(), base.describe(), protocol.seeds(), protocol.shots(), protocol.steps());
        String permText = "identity and " + permutations + " random permutation" + (permutations == 1 ? "" : "s")
                + " of the " + data.dim() + " pixels, permutation p drawn from Seeds.derive(run seed " + runSeed
                + ", \"invariance-permutation-p\"), the same for every seed; within a seed only the permutation "
                + "differs (same phi0, data order, query and support draws).";
        return new InvarianceFiles.Context(title, study.describe(), permText, recipe.describe(),
                extractorTrainingAccuracy, complete);
    }
}
