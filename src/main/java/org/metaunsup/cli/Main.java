package org.metaunsup.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.metaunsup.util.Launcher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine;

/**
 * Entry point of the {@code metaunsup} command line. Exit codes: 0 success, 2 bad input or
 * usage (one line, no stack trace), 1 a failure of the program itself (one line; the stack
 * trace with {@code --verbose}). A new command throws {@link org.metaunsup.BadInputException}
 * for bad input, checks its outputs with {@link org.metaunsup.io.OutputPaths} before working
 * and writes through {@link org.metaunsup.io.AtomicFiles} / {@link org.metaunsup.io.AtomicFolder};
 * the mapping to exit codes is done here, by {@link Failures}.
 */
@Command(
        name = "metaunsup",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Meta-learn unsupervised learning rules (Metz et al.) with SameDiff.",
        subcommands = {
            CommandLine.HelpCommand.class,
            DemoCommand.class,
            DataCommand.class,
            TraceCommand.class,
            BenchCommand.class,
            EvaluateCommand.class,
            TransferCommand.class,
            MetatrainCommand.class,
            HeldOutCommand.class,
            ReportCommand.class,
            FeaturesCommand.class,
            FiltersCommand.class,
            InvarianceCommand.class,
            InitThetaCommand.class,
        })
public final class Main implements Callable<Integer> {

    /** Exit code for bad input or usage. */
    public static final int EXIT_BAD_INPUT = 2;
    /** Exit code for a failure of the program itself. */
    public static final int EXIT_FAILURE = 1;

    /** Read by {@link #run} before parsing (logging is set up before nd4j loads); here for --help. */
    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Show nd4j's logs and, on failure, the stack trace.")
    boolean verbose;

    @Override
    public Integer call() {
        // Only reached with options but no subcommand; run() maps those to the demo.
        new CommandLine(this).usage(System.out);
        return 0;
    }

    public static void main(String[] args) {
        Optional<Integer> child = Launcher.relaunchIfNeeded(Main.class, args);
        if (child.isPresent()) {
            System.exit(child.get());
        }
        Launcher.endWithLauncher();
        System.exit(run(args));
    }

    /**
     * Runs the command line in this JVM and returns the exit code (tests call this). Every
     * failure of every command is mapped to an exit code and one line by {@link Failures}.
     *
     * @param args command-line arguments
     * @return the process exit code
     */
    public static int run(String... args) {
        boolean verbose = isVerbose(args);
        Logging.configure(verbose);
        if (Arrays.stream(args).allMatch("--verbose"::equals)) {
            args = Stream.concat(Arrays.stream(args), Stream.of("demo")).toArray(String[]::new);   // the main job
        }
        PrintStream stdout = System.out;
        if (!verbose) {
            System.setOut(Logging.quietStdout(stdout));
        }
        try {
            CommandLine cli = new CommandLine(new Main());
            PrintWriter err = cli.getErr();
            cli.setParameterExceptionHandler((ex, a) -> {
                err.println(Failures.oneLine("error: " + ex.getMessage()));
                err.flush();
                return EXIT_BAD_INPUT;
            });
            cli.setExecutionExceptionHandler((ex, cmd, parsed) -> Failures.report(ex, err, verbose));
            try {
                return cli.execute(args);
            } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
                // Errors escape picocli's handler; native (JavaCPP) allocations report an
                // OutOfMemoryError when resident memory passes its bound.
                return Failures.report(e, err, verbose);
            }
        } finally {
            System.out.flush();
            System.setOut(stdout);
        }
    }

    /** --verbose anywhere before a "--" end-of-options marker. */
    private static boolean isVerbose(String[] args) {
        for (String a : args) {
            if (a.equals("--")) {
                return false;
            }
            if (a.equals("--verbose")) {
                return true;
            }
        }
        return false;
    }
}
