package org.metaunsup.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.metaunsup.BadInputException;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.ConfigLoader;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.data.DataSplits;
import org.metaunsup.data.Dataset;
import org.metaunsup.eval.EvalData;
import org.metaunsup.eval.FilterFiles;
import org.metaunsup.eval.FilterStudy;
import org.metaunsup.eval.RuleSource;
import org.metaunsup.report.RunFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code filters}: first-layer filters of base models trained with one or more frozen rules, as
 * one image grid (the paper's Figure 2 on {@code stacked-mnist14}, per channel and in colour, and
 * Figure 4 over a meta-training run's θ files). Writes {@code filters.png}, {@code filters.csv}
 * (per filter: size and roughness), {@code summary.txt}, the config and a manifest.
 */
@Command(name = "filters", mixinStandardHelpOptions = true,
        description = "First-layer filters of base models trained with frozen rules, as one image grid "
                + "(rows: untrained phi0, then each rule; 3-channel data: each channel and colour).")
final class FiltersCommand implements Callable<Integer> {

    @Option(names = "--rule", required = true, description = "comma list of theta files (*.theta.fb), theta folders, "
            + "'random', or a folder of theta files (a metatrain run's theta/: its files in outer-step order)")
    String rule;

    @Option(names = "--dataset", defaultValue = "mnist14", description = "NAME or idx:IMAGES,LABELS (default: ${DEFAULT-VALUE})")
    String dataset;

    @Option(names = "--config", defaultValue = "small", description = "rule widths, inner batch, eta (default: ${DEFAULT-VALUE})")
    String config;

    @Option(names = "--arch", description = "base architecture, hidden then top widths, e.g. 64x2,32 (default: the config's)")
    String arch;

    @Option(names = "--steps", defaultValue = "1000", description = "inner steps per rule (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--units", defaultValue = "16", description = "filters shown per row (default: ${DEFAULT-VALUE})")
    int units;

    @Option(names = "--max-rules", defaultValue = "8", description = "most theta files taken from one folder "
            + "(default: ${DEFAULT-VALUE})")
    int maxRules;

    @Option(names = "--seed", defaultValue = "0", description = "fixes phi0 and the batch order (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", description = "run folder (default: runs/filters-<time>)")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (steps < 1 || units < 1 || maxRules < 1) {
            throw new BadInputException("--steps, --units and --max-rules must be at least 1");
        }
        ExperimentConfig cfg = ConfigLoader.load(config);
        EvalInputs in = EvalInputs.load(cfg, dataset, arch);
        cfg = in.config();
        DataSplits splits = in.splits();
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
        Path dir = EvalInputs.runDir(out, "filters");
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("dataset", splits.name());
        extra.put("data_shape", data.shapeText());
        extra.put("base", base.describe());
        extra.put("rules", loaded.stream().map(RuleSource.Loaded::description).toList());
        extra.put("inner_steps", steps);
        extra.put("units", units);
        extra.put("protocol", "every row starts from the same phi0 (seed " + seed + ", stream phi-init) and sees the "
                + "same unlabelled training batches in pixel order (identity permutation)");
        RunFolder run = RunFolder.create(dir, "filters", cfg.withBase(base), Map.of("run", seed), extra);
        System.err.println("filters: " + (rules.size() - 1) + " rule(s), " + steps + " inner steps each on "
                + splits.name());
        List<FilterStudy.Filters> result;
        try (StopSignal stop = new StopSignal()) {
            int[] row = {0};
            result = new FilterStudy(cfg, base, data, seed).run(rules, steps, units, done -> {
                if (done == 1) {
                    row[0]++;   // row 0 is phi0, which takes no steps
                }
                if (done % 100 == 0) {
                    System.err.println("  row " + row[0] + ": " + done + "/" + steps + " inner steps");
                }
            }, stop::requested);
            boolean complete = !stop.requested();
            System.err.print(FilterFiles.write(run.dir(), result, splits.name(), images, base, complete));
            run.finish(complete ? RunFolder.Status.FINISHED : RunFolder.Status.STOPPED,
                    complete ? null : "stopped early by a signal; the rows hold what was reached");
        }
        System.out.println(run.dir().toAbsolutePath());
        return 0;
    }
}
