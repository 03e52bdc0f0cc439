package org.metaunsup.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.metaunsup.BadInputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the {@code metaunsup} command line. Exit codes: 0 success, 2 bad input or
 * usage (one line, no stack trace), 1 a failure of the program itself.
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
            FeaturesCommand.class,
        })
public final class Main implements Callable<Integer> {

    /** Exit code for bad input or usage. */
    public static final int EXIT_BAD_INPUT = 2;
    /** Exit code for a failure of the program itself. */
    public static final int EXIT_FAILURE = 1;

    @Override
    public Integer call() {
        // Only reached with options but no subcommand; run() maps no arguments to the demo.
        new CommandLine(this).usage(System.out);
        return 0;
    }

    public static void main(String[] args) {
        java.util.Optional<Integer> child = org.metaunsup.util.Launcher.relaunchIfNeeded(Main.class, args);
        System.exit(child.isPresent() ? child.get() : run(args));
    }

    /**
     * Runs the command line in this JVM and returns the exit code (tests call this).
     *
     * @param args command-line arguments
     * @return the process exit code
     */
    public static int run(String... args) {
        if (args.length == 0) {
            args = new String[] {"demo"};   // the main job
        }
        CommandLine cli = new CommandLine(new Main());
        PrintWriter err = cli.getErr();
        cli.setParameterExceptionHandler((ex, a) -> {
            err.println("error: " + ex.getMessage());
            err.flush();
            return EXIT_BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            Throwable cause = ex;
            while (!(cause instanceof BadInputException) && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof BadInputException) {
                err.println("error: " + cause.getMessage());
                err.flush();
                return EXIT_BAD_INPUT;
            }
            err.println("internal error: " + ex);
            ex.printStackTrace(err);
            err.flush();
            return EXIT_FAILURE;
        });
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            // Native (JavaCPP) allocations report here when resident memory passes its bound.
            err.println("error: out of memory: " + e.getMessage()
                    + " (use a smaller K, batch or model, or raise -Dorg.bytedeco.javacpp.maxphysicalbytes)");
            err.flush();
            return EXIT_FAILURE;
        }
    }
}
