package org.metaunsup.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.metaunsup.BadInputException;
import org.metaunsup.config.ConfigKeys;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.config.RuleConfig;
import org.metaunsup.util.ProjectFolders;

/**
 * The rule used when none is named: a θ file shipped in {@code models/} whose card matches the
 * config (models/README.md).
 *
 * <p><b>Where.</b> The θ files directly in the models folder ({@code models/runs/} is never
 * searched: run θ are not shipped). The folder is {@code -Dmetaunsup.models} or
 * {@code METAUNSUP_MODELS} when set, otherwise {@code ./models}, then {@code models/} beside the
 * jar or classes folder and one level above it ({@link ProjectFolders}): {@code java -jar
 * target/metaunsup.jar} finds the checkout's {@code models/} from any working directory. The first
 * folder holding a matching θ is used. The θ is not packaged in the jar: the main job reads the
 * checkout's {@code data/} anyway, and one copy of a shipped θ cannot go stale against another.
 *
 * <p><b>Matches.</b> A card matches a config when everything that makes θ a particular learner is
 * the same ({@link #mismatches}): the rule widths (θ's shapes), the top width θ's top-down network
 * is built for ({@code base.top}), the inner step size η, the inner batch and the base activation
 * the rule was meta-trained with. Not compared: the input width and the hidden widths (the rule is
 * shared by every unit and applies to any of them; MNIST's 196 pixels and a user's 784 take the
 * same θ), nor how θ was meta-trained (objective, tasks, outer settings). A {@code tiny} config
 * differs from {@code small} in all five, so it never takes a {@code small} θ.
 *
 * <p><b>Preference.</b> The file named {@code <config name>.theta.fb} is the one shipped for that
 * config; without it, the matching file of the highest outer step (ties: the first name).
 */
public final class ShippedRules {

    /** System property naming the models folder. */
    public static final String PROPERTY = "metaunsup.models";
    /** Environment variable naming the models folder. */
    public static final String ENV = "METAUNSUP_MODELS";

    private ShippedRules() {}

    /**
     * The θ chosen for a config.
     *
     * @param file the θ file
     * @param rule the loaded rule
     * @param marked whether it is the file shipped for the config ({@code <config>.theta.fb})
     */
    public record Choice(Path file, LearnedRule rule, boolean marked) {

        /**
         * @return meta-gradients applied to θ: outer steps × {@code outer.batch} of its card, or -1
         *     when the card does not record the batch
         */
        public long gradients() {
            String batch = rule.card().configProperties().get(ConfigKeys.OUTER_BATCH.name());
            try {
                return batch == null ? -1 : rule.card().outerStep() * Long.parseLong(batch.trim());
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        /**
         * @return one line for the user, e.g. {@code using theta /p/models/small.theta.fb (shipped
         *     for config small; card: config small, outer step 731, 2,924 meta-gradients, commit
         *     298aa76)}
         */
        public String describe() {
            return "using " + summary();
        }

        /** @return {@link #describe()} without the leading "using " (a rule's description) */
        public String summary() {
            ThetaCard c = rule.card();
            long g = gradients();
            String grads = g < 0 ? "meta-gradients not recorded"
                    : String.format(Locale.ROOT, "%,d meta-gradients", g);
            String name = file.getFileName().toString();
            // Marked means named <config>.theta.fb; the card's own config name may differ: it is the
            // name the run was given its config by (small-1's outer step 108 says "config", the stem
            // of a config.properties file).
            return "theta " + file + " (" + (marked ? "shipped for config "
                    + name.substring(0, name.length() - ThetaFile.EXTENSION.length())
                    : "matching, not marked as shipped") + "; card: config " + c.config() + ", outer step "
                    + c.outerStep() + ", " + grads + ", commit " + c.commit() + ")";
        }
    }

    /** @return the models folders searched, in order */
    public static List<Path> folders() {
        return ProjectFolders.candidates("models", PROPERTY, ENV);
    }

    /**
     * @param cfg the config the rule must match
     * @return the θ to use
     * @throws BadInputException (one line: what was looked for, where, and what was found instead)
     *     when no folder holds a matching θ file, or a θ file there is unreadable
     */
    public static Choice find(ExperimentConfig cfg) {
        return find(cfg, folders());
    }

    /**
     * @param cfg the config the rule must match
     * @param folders models folders, in order (missing ones are skipped)
     * @return the θ to use
     * @throws BadInputException as {@link #find(ExperimentConfig)}
     */
    public static Choice find(ExperimentConfig cfg, List<Path> folders) {
        List<String> others = new ArrayList<>();
        String marked = cfg.name() + ThetaFile.EXTENSION;
        for (Path dir : folders) {
            Path best = null;
            long bestStep = -1;
            for (Path f : thetaFiles(dir)) {
                ThetaCard card = ThetaFile.readCard(f);
                List<String> why = mismatches(card, cfg);
                if (!why.isEmpty()) {
                    others.add(f.getFileName() + " (made under config '" + card.config() + "': " + String.join(", ", why) + ")");
                } else if (f.getFileName().toString().equals(marked)) {
                    return new Choice(f, LearnedRule.load(f), true);
                } else if (card.outerStep() > bestStep) {
                    best = f;
                    bestStep = card.outerStep();
                }
            }
            if (best != null) {
                return new Choice(best, LearnedRule.load(best), false);
            }
        }
        throw new BadInputException("no theta file matching config " + cfg.name() + " (" + signature(cfg) + ") in "
                + String.join(", ", folders.stream().map(Path::toString).toList())
                + (others.isEmpty() ? " (no *" + ThetaFile.EXTENSION + " there)" : "; found " + String.join("; ", others))
                + "; name one with --rule FILE, or use --rule random for the meta-initialised (never meta-trained) rule");
    }

    /**
     * What keeps a θ from being the default rule of a config; empty when it matches.
     *
     * @param card the θ file's card
     * @param cfg the config
     * @return one phrase per difference, e.g. {@code rule widths h=32 d=16 … (config: h=8 d=4 …)}
     */
    public static List<String> mismatches(ThetaCard card, ExperimentConfig cfg) {
        List<String> out = new ArrayList<>();
        RuleConfig r = card.rule().toConfig();
        if (!r.equals(cfg.rule())) {
            out.add("rule widths " + widths(r) + " (config: " + widths(cfg.rule()) + ")");
        }
        if (card.topUnits() != cfg.base().topWidth()) {
            out.add("top width " + card.topUnits() + " (config: " + cfg.base().topWidth() + ")");
        }
        if (card.eta() != cfg.eta()) {
            out.add("eta " + card.eta() + " (config: " + cfg.eta() + ")");
        }
        if (card.innerBatch() != cfg.innerBatch()) {
            out.add("inner batch " + card.innerBatch() + " (config: " + cfg.innerBatch() + ")");
        }
        String act = cfg.base().activation().name().toLowerCase(Locale.ROOT);
        if (card.activation() != null && !card.activation().equals(act)) {
            out.add("activation " + card.activation() + " (config: " + act + ")");
        }
        return out;
    }

    /** What a matching card must say, for the error line. */
    private static String signature(ExperimentConfig cfg) {
        return "rule widths " + widths(cfg.rule()) + ", top width " + cfg.base().topWidth() + ", eta " + cfg.eta()
                + ", inner batch " + cfg.innerBatch() + ", activation "
                + cfg.base().activation().name().toLowerCase(Locale.ROOT);
    }

    private static String widths(RuleConfig r) {
        return "h=" + r.hidden() + " d=" + r.delta() + " top=" + r.topWidth() + " g=" + r.gradChannels()
                + " kernels=" + r.topKernel() + "/" + r.kernel() + (r.vSharesW() ? "" : " separate-V");
    }

    /** The θ files directly in a folder, by name; none when it does not exist. */
    private static List<Path> thetaFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(f -> f.getFileName().toString().endsWith(ThetaFile.EXTENSION) && Files.isRegularFile(f))
                    .sorted().toList();
        } catch (IOException e) {
            throw new BadInputException("cannot list " + dir + ": " + e.getMessage());
        }
    }
}
