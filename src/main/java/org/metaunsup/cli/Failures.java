package org.metaunsup.cli;

import java.io.PrintWriter;
import org.metaunsup.BadInputException;
import org.metaunsup.DivergenceException;

/**
 * The one place that turns a failure of any command into an exit code and one line on stderr
 * (docs/METHOD.md#command-line). Commands only throw: {@link BadInputException} (and its
 * {@link org.metaunsup.OutputException}) for bad input or a bad output location → 2,
 * {@link DivergenceException} → 1, out of memory → 1, anything else → 1 as an internal error.
 * The stack trace is printed only with {@code --verbose}.
 */
final class Failures {

    private Failures() {}

    /**
     * @param failure what a command threw (possibly wrapped by picocli or an executor)
     * @param err where the line goes
     * @param verbose also print the stack trace
     * @return the exit code
     */
    static int report(Throwable failure, PrintWriter err, boolean verbose) {
        int code;
        String line;
        BadInputException bad = find(failure, BadInputException.class);
        DivergenceException diverged = find(failure, DivergenceException.class);
        OutOfMemoryError oom = find(failure, OutOfMemoryError.class);
        String diskFull = diskFull(failure);
        if (bad != null) {
            code = Main.EXIT_BAD_INPUT;
            line = "error: " + bad.getMessage();
        } else if (diverged != null) {
            code = Main.EXIT_FAILURE;
            line = "error: " + diverged.getMessage();
        } else if (diskFull != null) {
            // Not a bug of ours: the run's last good checkpoint and earlier outputs are intact.
            code = Main.EXIT_FAILURE;
            line = "error: the disk is full (" + diskFull + "); free space and run again (metatrain: --resume)";
        } else if (oom != null || isNativeOutOfMemory(failure)) {
            code = Main.EXIT_FAILURE;
            line = "error: out of memory" + (oom != null && oom.getMessage() != null ? " (" + oom.getMessage() + ")" : "")
                    + ": use a smaller K, batch or model, or raise -Dorg.bytedeco.javacpp.maxphysicalbytes";
        } else {
            code = Main.EXIT_FAILURE;
            Throwable root = failure;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            line = "internal error: " + describe(root) + (verbose ? "" : " (--verbose shows the stack trace)");
        }
        err.println(oneLine(line));
        if (verbose) {
            failure.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    /** The first throwable of the given type along the cause chain, or null. */
    static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    /** The message of the first "No space left on device" along the cause chain, or null. */
    static String diskFull(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String m = c.getMessage();
            if (m != null && m.contains("No space left on device")) {
                return oneLine(m);
            }
        }
        return null;
    }

    /** JavaCPP and nd4j report failed native allocations as plain runtime exceptions. */
    private static boolean isNativeOutOfMemory(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String m = c.getMessage();
            if (m != null && (m.contains("Cannot allocate") || m.contains("Physical memory usage is too high")
                    || m.contains("Out of memory") || m.contains("std::bad_alloc"))) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getName() + (m == null || m.isBlank() ? "" : ": " + m);
    }

    /** Messages of native errors and parsers can hold line breaks; the contract is one line. */
    static String oneLine(String s) {
        return s.strip().replaceAll("\\s*[\\r\\n]+\\s*", " | ");
    }
}
