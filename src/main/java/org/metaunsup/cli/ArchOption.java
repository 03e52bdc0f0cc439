package org.metaunsup.cli;

import picocli.CommandLine.Option;

/**
 * {@code --arch} of the study commands that train one base architecture ({@code evaluate},
 * {@code invariance}, {@code filters}); a picocli mixin, parsed by {@link EvalInputs#load} through
 * {@link org.metaunsup.eval.Architectures#parse}.
 */
final class ArchOption {

    @Option(names = "--arch", description = "base architecture, hidden then top widths, e.g. 64x2,32 (default: the config's)")
    String text;
}
