package org.metaunsup.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.metaunsup.BadInputException;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.data.Dataset;
import org.metaunsup.eval.EvalData;
import org.metaunsup.eval.filters.FilterFiles;
import org.metaunsup.eval.filters.FilterStudy;
import org.metaunsup.eval.RuleSource;
import org.metaunsup.report.Provenance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code filters}: first-layer filters of base models trained with one or more frozen rules, as
 * one image grid (the paper's Figure 2 on {@code stacked-mnist14}, per channel and in colour, and
 * Figure 4 over a meta-training run's θ files). Writes {@code filters.png}, {@code filters.csv}
 * (per filter: size and roughness), {@code summary.txt}, the config and a manifest. Ctrl-C stops and
 * writes the rows reached; a failure leaves the manifest {@code failed}.
 */
@Command(name = "filters", mixinStandardHelpOptions = true,
        description = "First-layer filters of base models trained with frozen rules, as one image grid "
                + "(rows: untrained phi0, then each rule; 3-channel data: each channel and colour).")
final class FiltersCommand implements Callable<Integer> {

    @Option(names = "--rule", required = true, description = "comma list of theta files (*.theta.fb), theta folders, "
            + "'random', 'default' (the shipped theta matching --config), or a folder of theta files (a metatrain run's theta/: its files in outer-step order)")
    String rule;

    @Mixin
    ArchOption arch;

    @Option(names = "--steps", defaultValue = "1000", description = "inner steps per rule (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--units", defaultValue = "16", description = "filters shown per row (default: ${DEFAULT-VALUE})")
    int units;

    @Option(names = "--max-rules", defaultValue = "8", description = "most theta files taken from one folder "
            + "(default: ${DEFAULT-VALUE})")
    int maxRules;

    @Mixin
    StudyOptions study;

    @Override
    public Integer call() throws Exception {
        if (steps < 1 || units < 1 || maxRules < 1) {
            throw new BadInputException("--steps, --units and --max-rules must be at least 1");
        }
        long seed = study.seed;
        ExperimentConfig loadedCfg = study.loadConfig();
        StudyRun run = study.check();   // before loading anything
        EvalInputs in = EvalInputs.load(loadedCfg, study.dataset, arch.text);
        ExperimentConfig cfg = in.config();
        EvalData data = in.data();
        Dataset images = data.trainSet();
        BaseModelConfig base = in.base();
        List<RuleSource.Loaded> loaded = RuleSource.loadEach(rule, cfg, base.topWidth(), seed, maxRules);
        List<FilterStudy.Rule> rules = new ArrayList<>();
        rules.add(new FilterStudy.Rule("phi0 (untrained)", null));
        for (RuleSource.Loaded l : loaded) {
            if (l.isNone()) {
                throw new BadInputException("--rule none has no filters to learn (phi0 is always the first row)");
            }
            rules.add(new FilterStudy.Rule(l.shortLabel(), l.theta()));
        }
        Provenance provenance = in.describe(Provenance.of("filters", cfg.withBase(base)), false)
                .seed("run", seed).field("base", base.describe())
                .field("rules", loaded.stream().map(RuleSource.Loaded::description).toList())
                .field("inner_steps", steps).field("units", units)
                .field("protocol", "every row starts from the same phi0 (seed " + seed + ", stream phi-init) and sees "
                        + "the same unlabelled training batches in pixel order (identity permutation)")
                .build();
        System.err.println("filters: " + (rules.size() - 1) + " rule(s), " + steps + " inner steps each on "
                + in.splits().name());
        FilterStudy filters = new FilterStudy(cfg, base, data, seed);
        return run.run(provenance, (dir, stop) -> {
            int[] row = {0};
            List<FilterStudy.Filters> result = filters.run(rules, steps, units, done -> {
                if (done == 1) {
                    row[0]++;   // row 0 is phi0, which takes no steps
                }
                if (done % 100 == 0) {
                    System.err.println("  row " + row[0] + ": " + done + "/" + steps + " inner steps");
                }
            }, stop);
            boolean complete = !stop.getAsBoolean();
            System.err.print(FilterFiles.write(dir, result, in.splits().name(), images, base, complete));
            return StudyRun.Ending.of(complete, "stopped early by a signal; the rows hold what was reached");
        });
    }
}
