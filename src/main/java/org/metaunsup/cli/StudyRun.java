package org.metaunsup.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.function.BooleanSupplier;
import org.metaunsup.BadInputException;
import org.metaunsup.DivergenceException;
import org.metaunsup.io.AtomicFolder;
import org.metaunsup.io.OutputPaths;
import org.metaunsup.report.Provenance;
import org.metaunsup.report.RunFolder;

/**
 * The one lifecycle of a study command ({@code evaluate}, {@code transfer}, {@code invariance},
 * {@code filters}, {@code demo}):
 * <ol>
 *   <li>{@link #check} the output folder before any work (a folder that cannot be written, or a
 *       user's folder of other things, is refused at once, exit 2);</li>
 *   <li>{@link #run} writes the run folder beside its target ({@link AtomicFolder}), config and
 *       manifest from the run's {@link Provenance}, and lets the study measure into it while a
 *       {@link StopSignal} turns Ctrl-C or SIGTERM into a request to stop;</li>
 *   <li>the manifest records how it ended ({@link RunFolder.Status}: finished, stopped, diverged
 *       or failed) and the folder is renamed into place, with what was measured kept after a stop,
 *       a divergence or a failure;</li>
 *   <li>the absolute run folder is the one line on standard output.</li>
 * </ol>
 * Bad input found during the work leaves nothing (it should have been found before). A second
 * failure while keeping the results of a first (e.g. a full disk) never hides the first: it is
 * added to it as suppressed. A process killed outright leaves only the hidden temp folder.
 */
final class StudyRun {

    /**
     * How the work ended when it returned.
     *
     * @param complete whether every result is there
     * @param note why it ended early (the manifest's {@code error}), or null when complete
     */
    record Ending(boolean complete, String note) {

        /** @return a complete run */
        static Ending finished() {
            return new Ending(true, null);
        }

        /**
         * @param complete whether the work ran to its end
         * @param stoppedNote what the manifest says when it did not
         * @return the ending
         */
        static Ending of(boolean complete, String stoppedNote) {
            return new Ending(complete, complete ? null : stoppedNote);
        }
    }

    /** A study's work inside its run folder. */
    interface Work {

        /**
         * Measures and writes the results into {@code dir}.
         *
         * @param dir the run folder being written (the temp folder until the end)
         * @param stop whether a stop was requested (poll it between units of work)
         * @return how it ended
         * @throws Exception on failure; what was measured is then kept by {@link #writePartial}
         */
        Ending run(Path dir, BooleanSupplier stop) throws Exception;

        /**
         * Writes what was measured before a failure; by default nothing (a study that writes as
         * it goes, or has nothing to show before its end).
         *
         * @param dir the run folder being written
         * @throws IOException on write failure
         */
        default void writePartial(Path dir) throws IOException {}
    }

    private final Path target;

    private StudyRun(Path target) {
        this.target = target;
    }

    /**
     * Checks the output folder before any work.
     *
     * @param out {@code --out}, or null for {@code runs/<command>-<local time>}
     * @param command the command's name
     * @return the run, not begun
     * @throws org.metaunsup.OutputException when the folder cannot be written or must not be replaced
     */
    static StudyRun check(Path out, String command) {
        Path dir = out != null ? out : Path.of("runs", command + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        OutputPaths.folder(dir, "--out", RunFolder.MANIFEST);
        return new StudyRun(dir);
    }

    /** @return the run folder as the user named it (or its default) */
    Path target() {
        return target;
    }

    /**
     * Runs the study into its folder and prints the folder.
     *
     * @param provenance what the manifest records
     * @param work the measurements
     * @return exit code 0 (failures are thrown, for {@link Failures})
     * @throws Exception the work's failure, with any failure to keep its results suppressed
     */
    int run(Provenance provenance, Work work) throws Exception {
        try (AtomicFolder folder = AtomicFolder.begin(target, "--out", RunFolder.MANIFEST)) {
            RunFolder run = RunFolder.create(folder.dir(), provenance);
            try (StopSignal stop = new StopSignal()) {
                Ending end;
                try {
                    end = work.run(run.dir(), stop::requested);
                } catch (BadInputException e) {
                    throw e;
                } catch (DivergenceException e) {
                    keep(run, folder, work, RunFolder.Status.DIVERGED, e);
                    throw e.withNote("run folder " + target + " holds what was measured before (finished: false)");
                } catch (Exception | Error e) {
                    keep(run, folder, work, RunFolder.Status.FAILED, e);
                    throw e;
                }
                run.finish(end.complete() ? RunFolder.Status.FINISHED : RunFolder.Status.STOPPED, end.note());
                folder.commit();
            }
        }
        System.out.println(target.toAbsolutePath());
        return 0;
    }

    /**
     * Writes what was measured, records how the run ended and keeps the folder. Each of the two
     * can fail on its own (a full disk): the manifest is still tried after the results failed, and
     * every such failure is added to the cause, never thrown instead of it.
     */
    private static void keep(RunFolder run, AtomicFolder folder, Work work, RunFolder.Status status,
                             Throwable cause) {
        try {
            work.writePartial(run.dir());
        } catch (IOException | RuntimeException | Error e) {
            cause.addSuppressed(e);
        }
        try {
            run.finish(status, Failures.oneLine(String.valueOf(cause.getMessage())));
            folder.commit();
            System.err.println("partial results written to " + folder.target());
        } catch (IOException | RuntimeException | Error e) {
            cause.addSuppressed(e);
        }
    }
}
