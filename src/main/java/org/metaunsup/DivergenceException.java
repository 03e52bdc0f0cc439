package org.metaunsup;

/**
 * A computation left the finite numbers (or a solve became singular) because the values it was
 * given make it diverge, e.g. a rule with absurd θ. Not a bug of the program and not bad input
 * as such: the command line prints one line naming what diverged and at which step, and exits
 * with code 1.
 */
public class DivergenceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String what;
    private final int step;
    private final String detail;

    /**
     * @param what what diverged, e.g. "the base model of task 2 under rule models/theta-small"
     * @param step the inner step at which it was noticed (the first step whose values are bad)
     * @param detail what was seen, e.g. "meta-loss NaN" or the solver's complaint
     * @param cause the underlying error, if any (kept for {@code --verbose})
     */
    public DivergenceException(String what, int step, String detail, Throwable cause) {
        this(what, step, detail, null, cause);
    }

    private DivergenceException(String what, int step, String detail, String note, Throwable cause) {
        super(what + " diverged at inner step " + step + " (" + detail + ")" + (note == null ? "" : "; " + note),
                cause);
        this.what = what;
        this.step = step;
        this.detail = detail;
    }

    /**
     * @param note what the user should know in addition, e.g. where the unfinished run folder is
     * @return the same divergence with the note appended to its one line
     */
    public DivergenceException withNote(String note) {
        return new DivergenceException(what, step, detail, note, this);
    }

    /** @return what diverged */
    public String what() {
        return what;
    }

    /** @return the inner step at which the divergence was noticed */
    public int step() {
        return step;
    }
}
