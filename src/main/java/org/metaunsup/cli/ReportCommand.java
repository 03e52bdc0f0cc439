package org.metaunsup.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.metaunsup.report.HtmlReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code report --run-dir DIR}: one self-contained HTML page with every figure and table of a run. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write DIR/report.html: every figure (embedded), the numbers behind each, config and manifest.")
final class ReportCommand implements Callable<Integer> {

    @Option(names = "--run-dir", required = true, description = "a run folder (from evaluate, demo, ...)")
    Path runDir;

    @Override
    public Integer call() throws Exception {
        // What is left out (a damaged figures.json, a binary table) is said, not fatal.
        System.out.println(HtmlReport.write(runDir, w -> System.err.println("warning: " + w)).toAbsolutePath());
        return 0;
    }
}
