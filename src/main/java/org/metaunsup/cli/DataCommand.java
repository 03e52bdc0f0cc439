package org.metaunsup.cli;

import picocli.CommandLine.Command;

/** {@code data}: inspect, render and picture the datasets. */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Datasets: describe, render-alphabet, samples.",
        subcommands = {DescribeCommand.class, RenderAlphabetCommand.class, SamplesCommand.class})
final class DataCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
