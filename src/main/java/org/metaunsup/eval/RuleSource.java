package org.metaunsup.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.metaunsup.BadInputException;
import org.metaunsup.config.ConfigKeys;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.config.TaskDistributionConfig;
import org.metaunsup.export.CoreAdapter;
import org.metaunsup.export.LearnedRule;
import org.metaunsup.export.ShippedRules;
import org.metaunsup.export.ThetaCard;
import org.metaunsup.export.ThetaFile;
import org.metaunsup.rule.Theta;
import org.metaunsup.rule.ThetaFolder;
import org.metaunsup.rule.ThetaSpec;
import org.metaunsup.util.Seeds;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Reads the {@code --rule} argument: {@code random} (θ at its meta-initialisation, docs/METHOD.md#theta-init,
 * from the run seed), {@code none} (no rule: the random-features baseline), or a path to a trained
 * θ. The one place that knows θ file formats: a θ file ({@code *.theta.fb}, {@link ThetaFile}, what
 * {@code metatrain} exports), or a θ folder ({@code theta/*.npy} + {@code index.json},
 * {@link ThetaFolder}: traces and {@code models/}); {@link #shipped} also finds the rule shipped in
 * {@code models/} and reads θ files through the loading API ({@link LearnedRule}).
 */
public final class RuleSource {

    /**
     * A resolved rule argument.
     *
     * @param spec the argument as given
     * @param description human-readable provenance
     * @param theta the rule, or null for {@code none}
     * @param topUnits the top width θ was built for (0 for none)
     * @param recordedTasks the task distribution θ was meta-trained on as its θ file's card records
     *     it ({@code task.hidden_width}, {@code task.hidden_layers}, …), or null when the source
     *     records none (a θ folder, {@code random}, {@code none}, a card without those keys)
     */
    public record Loaded(String spec, String description, Theta theta, int topUnits,
                         TaskDistributionConfig recordedTasks) {

        /**
         * A rule whose source records no task distribution.
         *
         * @param spec the argument as given
         * @param description human-readable provenance
         * @param theta the rule, or null for {@code none}
         * @param topUnits the top width θ was built for (0 for none)
         */
        public Loaded(String spec, String description, Theta theta, int topUnits) {
            this(spec, description, theta, topUnits, null);
        }

        /** @return whether this is the "no rule" baseline */
        public boolean isNone() {
            return theta == null;
        }

        /** @return whether θ is the meta-initialisation rather than a trained rule */
        public boolean isRandom() {
            return "random".equals(spec);
        }

        /** @return a short row or legend label: the outer step of a θ file, else the name */
        public String shortLabel() {
            if (isNone()) {
                return "no rule";
            }
            if (isRandom()) {
                return "meta-init theta";
            }
            Matcher m = Pattern.compile("outer step (\\d+)").matcher(description);
            return m.find() ? "theta, outer step " + m.group(1) : Path.of(spec).getFileName().toString();
        }
    }

    /** The {@code --rule} value of the shipped rule that matches the config ({@link ShippedRules}). */
    public static final String DEFAULT = "default";

    private RuleSource() {}

    /**
     * @param spec {@code default} (the shipped θ matching {@code cfg}, {@link ShippedRules}), {@code random},
     *     {@code none} or a θ path
     * @param cfg config whose rule widths θ must have
     * @param topWidth the base architecture's top width (a random θ is built for it)
     * @param runSeed run seed (a random θ is drawn from its {@code theta-init} stream)
     * @return the rule
     * @throws BadInputException when the path is missing, not a θ, or of other widths or inner step size,
     *     or for {@code default} when no shipped θ matches the config
     */
    public static Loaded load(String spec, ExperimentConfig cfg, int topWidth, long runSeed) {
        if (spec.equals(DEFAULT)) {
            ShippedRules.Choice c = ShippedRules.find(cfg);
            return new Loaded(c.file().toString(), c.summary(), c.rule().theta(), c.rule().topUnits(),
                    recordedTasks(c.rule().card(), cfg));
        }
        if (spec.equals("none")) {
            return new Loaded(spec, "no rule (random-init features)", null, 0);
        }
        if (spec.equals("random")) {
            return new Loaded(spec, "meta-initialised rule (random theta)", random(cfg, topWidth, runSeed), topWidth);
        }
        Path p = Path.of(spec);
        if (!Files.exists(p)) {
            throw new BadInputException(spec + ": no such theta file or folder (or use --rule random|none)");
        }
        if (!Files.isDirectory(p)) {
            ThetaFile.Contents c = ThetaFile.read(p);
            if (!c.card().rule().toConfig().equals(cfg.rule())) {
                throw new BadInputException(spec + ": the theta file's rule widths " + c.card().rule()
                        + " differ from the config's (pass --config with the one it was trained with)");
            }
            // The rule was meta-trained for one inner step size; applied with another it is a
            // different learner, and the numbers would be quietly off.
            if (c.card().eta() != cfg.eta()) {
                throw new BadInputException(spec + ": the theta file was meta-trained with inner.eta = " + c.card().eta()
                        + ", the config has " + cfg.eta() + " (pass --config with the one it was trained with)");
            }
            String step = c.card().outerStep() >= 0 ? " (outer step " + c.card().outerStep() + ")" : "";
            return new Loaded(spec, "rule " + p + step, c.theta(), c.theta().spec().topUnits(),
                    recordedTasks(c.card(), cfg));
        }
        Theta theta = ThetaFolder.read(p, cfg.rule(), DataType.FLOAT);
        int top = (int) theta.get("top.mix1.w").shape()[0];
        return new Loaded(spec, "rule " + p, theta, top);
    }

    /**
     * A rule together with the config it is applied with.
     *
     * @param config the config, with the rule's widths, inner batch and η when a θ file says them
     * @param rule the rule ({@link Loaded#spec()} is the θ path, or {@code random})
     * @param message one line on which rule is used (for the user), or null
     */
    public record Adopted(ExperimentConfig config, Loaded rule, String message) {}

    /**
     * The rule {@code demo} applies: {@code rule} when given (a θ file or a θ folder, {@code random}
     * for the meta-initialised rule); else ({@code null} or {@code default}) the θ file shipped in
     * {@code models/} whose card matches the config ({@link ShippedRules}). A θ file brings its own
     * rule widths, inner batch and η (its card), so the config adopts them.
     *
     * @param rule {@code --rule}: a path, {@code random}, {@code default}, or null
     * @param cfg the config (its input width is left as it is: a rule applies to any)
     * @param runSeed run seed (a random θ is drawn from its {@code theta-init} stream)
     * @return the config and the rule, with the line that says which rule is used
     * @throws BadInputException when the θ is unreadable, of another top width than the config's base
     *     model, or when no shipped θ matches the config (one line: what was looked for and where)
     */
    public static Adopted shipped(String rule, ExperimentConfig cfg, long runSeed) {
        if ("random".equals(rule)) {
            int top = cfg.base().topWidth();
            return new Adopted(cfg, new Loaded("random", "meta-initialised rule (random theta)",
                    random(cfg, top, runSeed), top), "note: the meta-initialised rule of config " + cfg.name()
                    + " (random theta, never meta-trained)");
        }
        if (rule == null || rule.equals(DEFAULT)) {
            ShippedRules.Choice c = ShippedRules.find(cfg);
            return adopt(c.rule(), c.summary(), cfg, c.describe());
        }
        Path p = Path.of(rule);
        if (Files.isDirectory(p)) {
            Theta theta = ThetaFolder.read(p, cfg.rule(), DataType.FLOAT);
            return new Adopted(cfg, new Loaded(rule, "rule " + p, theta, (int) theta.get("top.mix1.w").shape()[0]),
                    "using the theta folder " + p);
        }
        LearnedRule learned = LearnedRule.load(p);
        return adopt(learned, learned.describe(), cfg, "using the " + learned.describe());
    }

    private static Adopted adopt(LearnedRule learned, String description, ExperimentConfig cfg, String message) {
        ExperimentConfig adopted = CoreAdapter.withRuleOf(cfg, learned.card());
        learned.checkArchitecture(adopted.base());
        Path file = learned.source().orElseThrow();
        return new Adopted(adopted, new Loaded(file.toString(), description, learned.theta(), learned.topUnits()),
                message);
    }

    /**
     * Reads a comma list of rules; an entry that is a folder of θ files (a meta-training run's
     * {@code theta/}) stands for its files in name order (outer-step order), thinned evenly to at
     * most {@code max} with the first and the last kept.
     *
     * @param specs comma list of {@code random}, θ files, θ folders or folders of θ files
     * @param cfg config whose rule widths θ must have
     * @param topWidth the base architecture's top width
     * @param runSeed run seed (for {@code random})
     * @param max most rules taken from one folder of θ files
     * @return the rules in order
     */
    public static List<Loaded> loadEach(String specs, ExperimentConfig cfg, int topWidth, long runSeed,
                                                  int max) {
        List<Loaded> out = new ArrayList<>();
        for (String spec : specs.split(",")) {
            String s = spec.trim();
            Path p = Path.of(s);
            if (!s.equals("random") && !s.equals("none") && !s.equals(DEFAULT) && Files.isDirectory(p)
                    && !Files.isRegularFile(p.resolve("index.json"))) {
                List<Path> files;
                try (Stream<Path> list = Files.list(p)) {
                    files = list.filter(f -> f.getFileName().toString().endsWith(ThetaFile.EXTENSION)).sorted()
                            .toList();
                } catch (IOException e) {
                    throw new BadInputException(s + ": cannot list (" + e.getMessage() + ")");
                }
                if (files.isEmpty()) {
                    throw new BadInputException(s + ": neither a theta folder (index.json) nor a folder of "
                            + ThetaFile.EXTENSION + " files");
                }
                for (Path f : thin(files, max)) {
                    out.add(load(f.toString(), cfg, topWidth, runSeed));
                }
            } else {
                out.add(load(s, cfg, topWidth, runSeed));
            }
        }
        return out;
    }

    /** Evenly spaced entries, first and last included. */
    static <T> List<T> thin(List<T> all, int max) {
        if (all.size() <= max || max < 2) {
            return max < 2 && !all.isEmpty() ? List.of(all.get(all.size() - 1)) : all;
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < max; i++) {
            out.add(all.get((int) Math.round(i * (all.size() - 1) / (double) (max - 1))));
        }
        return out;
    }

    /**
     * The card's architecture ranges only when it records both: a card written before they were
     * recorded must not pass the config's ranges off as the ones θ was trained on. Keys the card
     * lacks otherwise (newer keys) are taken from the config, as {@link ConfigKeys#fromRecord}
     * takes them for older records, so that only the task distribution is read here.
     */
    private static TaskDistributionConfig recordedTasks(ThetaCard card, ExperimentConfig cfg) {
        Map<String, String> recorded = card.configProperties();
        if (!recorded.containsKey(ConfigKeys.TASK_HIDDEN_WIDTH.name())
                || !recorded.containsKey(ConfigKeys.TASK_HIDDEN_LAYERS.name())) {
            return null;
        }
        Map<String, String> m = new LinkedHashMap<>(cfg.toProperties());
        m.putAll(recorded);
        return ConfigKeys.fromRecord(card.config() == null ? "theta card" : card.config(), m).task();
    }

    /**
     * @param cfg rule widths
     * @param topWidth top units
     * @param runSeed run seed
     * @return θ at its meta-initialisation
     */
    public static Theta random(ExperimentConfig cfg, int topWidth, long runSeed) {
        return Theta.init(new ThetaSpec(cfg.rule(), topWidth), Seeds.derive(runSeed, "theta-init"), DataType.FLOAT);
    }
}
