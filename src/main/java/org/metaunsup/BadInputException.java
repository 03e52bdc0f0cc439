package org.metaunsup;

/**
 * Bad input from the user (missing or corrupt file, wrong shape, unknown config key, ...).
 * The command line prints its message as one line and exits with code 2, so the message
 * must name the offending file or key and say what is wrong.
 */
public class BadInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message one line naming what is wrong and where */
    public BadInputException(String message) {
        super(message);
    }

    /**
     * @param message one line naming what is wrong and where
     * @param cause the underlying error, kept for debugging
     */
    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
