package org.metaunsup.cli;

import org.metaunsup.BadInputException;
import picocli.CommandLine.Command;

/** {@code data}: inspect, render and picture the datasets. */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Datasets: describe, render-alphabet, samples.",
        subcommands = {DescribeCommand.class, RenderAlphabetCommand.class, RenderGlyphsCommand.class,
                SamplesCommand.class})
final class DataCommand implements Runnable {

    /** Without a subcommand there is nothing to do: a usage error (exit 2), as for any other. */
    @Override
    public void run() {
        throw new BadInputException("data needs a subcommand: describe, render-alphabet or samples "
                + "(metaunsup data --help)");
    }
}
