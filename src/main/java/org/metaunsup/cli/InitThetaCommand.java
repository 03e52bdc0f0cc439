package org.metaunsup.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.metaunsup.BadInputException;
import org.metaunsup.config.ConfigKeys;
import org.metaunsup.config.ConfigLoader;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.config.ThetaInit;
import org.metaunsup.export.ThetaCard;
import org.metaunsup.export.ThetaFile;
import org.metaunsup.io.OutputPaths;
import org.metaunsup.rule.Theta;
import org.metaunsup.rule.ThetaSpec;
import org.metaunsup.util.Seeds;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code init-theta}: writes the θ meta-training would start from (config key {@code outer.init}:
 * the meta-initialisation, or the hand-designed learner of docs/METHOD.md#hand-init) as a θ file,
 * outer step 0, so that {@code evaluate --rule FILE}, {@code features} and the loading API can use
 * it like any meta-trained θ. The card records the config with the chosen {@code outer.init} and
 * the run seed.
 */
@Command(name = "init-theta", mixinStandardHelpOptions = true,
        description = "Write the starting theta of meta-training (outer.init: meta or hebbian) as a theta file "
                + "(*.theta.fb) with its card.")
final class InitThetaCommand implements Callable<Integer> {

    @Option(names = "--config", defaultValue = "small", description = "tiny, small, paper or a file (default: "
            + "${DEFAULT-VALUE})")
    String config;

    @Option(names = "--init", description = "meta or hebbian (default: the config's outer.init)")
    String init;

    @Option(names = "--seed", defaultValue = "0", description = "run seed; theta is drawn from its theta-init stream "
            + "as metatrain --seed S would (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", required = true, description = "theta file to write (*.theta.fb)")
    Path out;

    @Override
    public Integer call() throws Exception {
        ExperimentConfig cfg = ConfigLoader.load(config);
        if (init != null) {
            if (ThetaInit.parseOrNull(init) == null) {
                throw new BadInputException("--init '" + init + "': must be " + ConfigKeys.OUTER_INIT.allowed());
            }
            Map<String, String> props = cfg.toProperties();
            props.put(ConfigKeys.OUTER_INIT.name(), init);
            cfg = ConfigLoader.resolve(cfg.name(), props);
        }
        if (!out.getFileName().toString().endsWith(ThetaFile.EXTENSION)) {
            throw new BadInputException("--out " + out + ": a theta file name must end in " + ThetaFile.EXTENSION);
        }
        Path target = OutputPaths.file(out, "--out");
        ProcessSetup.init();
        ThetaSpec spec = new ThetaSpec(cfg.rule(), cfg.base().topWidth());
        Theta theta = Theta.initial(spec, cfg.outer().init(), Seeds.derive(seed, "theta-init"), DataType.FLOAT);
        ThetaFile.write(target, theta, ThetaCard.of(cfg, 0, Map.of("run", seed), Map.of()));
        System.err.println("init-theta: " + cfg.outer().init().key() + " theta of config " + cfg.name() + " ("
                + spec.describe() + "), run seed " + seed);
        System.out.println(target);
        return 0;
    }
}
