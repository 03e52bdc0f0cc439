package org.metaunsup.io;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * The reason of an I/O error in words a user can act on. Java's own messages are often just the
 * path again ({@code NoSuchFileException: X}) or a decoder detail ({@code Input length = 1}), so
 * "cannot read X: X" said nothing; messages built with {@link #reason} say what went wrong.
 */
public final class IoMessages {

    private IoMessages() {}

    /**
     * @param e an I/O error
     * @return a short lower-case reason without the path, e.g. "no such file or folder"
     */
    public static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or folder";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "already exists";
        }
        if (e instanceof NotDirectoryException) {
            return "not a folder";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "folder not empty";
        }
        if (e instanceof CharacterCodingException) {
            return "not UTF-8 text (a binary file?)";
        }
        if (e instanceof EOFException) {
            return "ends too early (truncated?)";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            // The operating system's own words: "File name too long", "Read-only file system",
            // "No space left on device", "Not a directory", "Is a directory".
            return fse.getReason().toLowerCase(Locale.ROOT);
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }
}
