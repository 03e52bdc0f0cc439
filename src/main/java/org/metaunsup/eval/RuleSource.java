package org.metaunsup.eval;

import java.nio.file.Files;
import java.nio.file.Path;
import org.metaunsup.BadInputException;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.export.ThetaFile;
import org.metaunsup.rule.Theta;
import org.metaunsup.rule.ThetaFiles;
import org.metaunsup.rule.ThetaSpec;
import org.metaunsup.util.Seeds;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Reads the {@code --rule} argument: {@code random} (θ at its meta-initialisation, DESIGN.md §9,
 * from the run seed), {@code none} (no rule: the random-features baseline), or a path to a trained
 * θ. The one place that knows θ file formats: a θ file ({@code *.theta.fb}, {@link ThetaFile}, what
 * {@code metatrain} exports), or a θ folder ({@code theta/*.npy} + {@code index.json},
 * {@link ThetaFiles}: traces and {@code models/}).
 */
public final class RuleSource {

    /**
     * A resolved rule argument.
     *
     * @param spec the argument as given
     * @param description human-readable provenance
     * @param theta the rule, or null for {@code none}
     * @param topUnits the top width θ was built for (0 for none)
     */
    public record Loaded(String spec, String description, Theta theta, int topUnits) {
        /** @return whether this is the "no rule" baseline */
        public boolean isNone() {
            return theta == null;
        }

        /** @return whether θ is the meta-initialisation rather than a trained rule */
        public boolean isRandom() {
            return "random".equals(spec);
        }
    }

    private RuleSource() {}

    /**
     * @param spec {@code random}, {@code none} or a θ path
     * @param cfg config whose rule widths θ must have
     * @param topWidth the base architecture's top width (a random θ is built for it)
     * @param runSeed run seed (a random θ is drawn from its {@code theta-init} stream)
     * @return the rule
     * @throws BadInputException when the path is missing, not a θ, or of other widths
     */
    public static Loaded load(String spec, ExperimentConfig cfg, int topWidth, long runSeed) {
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
            String step = c.card().outerStep() >= 0 ? " (outer step " + c.card().outerStep() + ")" : "";
            return new Loaded(spec, "rule " + p + step, c.theta(), c.theta().spec().topUnits());
        }
        Theta theta = ThetaFiles.read(p, cfg.rule(), DataType.FLOAT);
        int top = (int) theta.get("top.mix1.w").shape()[0];
        return new Loaded(spec, "rule " + p, theta, top);
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
