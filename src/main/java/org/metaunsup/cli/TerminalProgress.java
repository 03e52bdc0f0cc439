package org.metaunsup.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * The progress display of a long command: a progress bar on a terminal, otherwise one plain
 * line per message on standard error (logs and CI stay readable).
 */
final class TerminalProgress implements AutoCloseable {

    private ProgressBar bar;

    /**
     * @param task the bar's name, e.g. the command
     * @param total steps in all (no bar when 0)
     */
    TerminalProgress(String task, long total) {
        bar = System.console() != null && total > 0
                ? new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                        .setUpdateIntervalMillis(500)
                        // A fixed width: asking for the terminal's width makes the library open a
                        // JLine terminal, which resets SIGINT to its default and so kills the JVM
                        // on Ctrl-C without running the hook that writes partial results.
                        .setConsumer(new ConsoleProgressBarConsumer(System.err, 150)).build()
                : null;
    }

    /** @param steps steps just done */
    void step(int steps) {
        if (bar != null) {
            bar.stepBy(steps);
        }
    }

    /** @param done steps done so far */
    void stepTo(long done) {
        if (bar != null) {
            bar.stepTo(done);
        }
    }

    /** @return whether a bar is shown (else messages are lines) */
    boolean isBar() {
        return bar != null;
    }

    /** @param msg shown beside the bar, or printed as one indented line without one */
    void message(String msg) {
        if (bar != null) {
            bar.setExtraMessage(msg);
        } else {
            System.err.println("  " + msg);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
