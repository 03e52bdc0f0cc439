package org.metaunsup;

/**
 * A problem with where the user asked output to go: an existing file where a folder is wanted,
 * a folder that cannot be written, a name too long for the file system, a full disk. Like any
 * {@link BadInputException} the command line prints its message as one line and exits with
 * code 2; the message names the path and the reason.
 */
public class OutputException extends BadInputException {
    private static final long serialVersionUID = 1L;

    /** @param message one line naming the path and what is wrong with it */
    public OutputException(String message) {
        super(message);
    }

    /**
     * @param message one line naming the path and what is wrong with it
     * @param cause the underlying I/O error, kept for {@code --verbose}
     */
    public OutputException(String message, Throwable cause) {
        super(message, cause);
    }
}
