package org.metaunsup.cli;

import java.nio.file.Path;
import org.metaunsup.config.ConfigLoader;
import org.metaunsup.config.ExperimentConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options every study command shares (a picocli mixin): the config, the dataset, the run seed
 * and the run folder. Each study command is these options → a study spec → {@link StudyRun}.
 */
final class StudyOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--config", defaultValue = "small", description = "config: rule widths, inner batch, eta and the "
            + "base model (default: ${DEFAULT-VALUE})")
    String config;

    @Option(names = "--dataset", defaultValue = "mnist14", description = "NAME or idx:IMAGES,LABELS (default: "
            + "${DEFAULT-VALUE})")
    String dataset;

    @Option(names = "--seed", defaultValue = "0", description = "run seed: every seed of the run derives from it "
            + "(default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", description = "run folder (default: runs/<command>-<time>; required by transfer)")
    Path out;

    /**
     * @return the config named by {@code --config}
     * @throws org.metaunsup.BadInputException when it cannot be read or holds a bad value
     */
    ExperimentConfig loadConfig() {
        return ConfigLoader.load(config);
    }

    /**
     * Checks the run folder before any work ({@link StudyRun#check}).
     *
     * @return the run, not begun
     */
    StudyRun check() {
        return StudyRun.check(out, command.name());
    }

    /**
     * For a command whose run is too long to land in a folder named by the time: {@code --out}
     * must be given.
     *
     * @throws ParameterException (exit 2) when it is not
     */
    void requireOut() {
        if (out == null) {
            throw new ParameterException(command.commandLine(), "Missing required option: '--out=<out>'");
        }
    }
}
