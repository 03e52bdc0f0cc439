package org.metaunsup.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import org.metaunsup.OutputException;

/**
 * The one way files are written: a reader never sees a half-written file and nothing but the
 * target is touched. Content goes to a fresh temp name in the target's folder (created
 * exclusively, so a user's file of any name is never overwritten), is flushed to disk, and is
 * renamed onto the target. The file gets the mode the umask gives a new file (not 0600, as
 * {@code Files.createTempFile} would). Every failure is an {@link OutputException} naming the
 * target: exit code 2 on the command line.
 */
public final class AtomicFiles {

    /** Writes a file's content to a stream (the stream is closed by the caller). */
    @FunctionalInterface
    public interface Body {
        /**
         * @param out where the content goes
         * @throws IOException on failure
         */
        void writeTo(OutputStream out) throws IOException;
    }

    /** Longest part of the target's name kept in a temp name (file systems allow 255 bytes). */
    private static final int NAME_IN_TEMP = 80;

    private AtomicFiles() {}

    /**
     * @param target final path (parent folders are created)
     * @param bytes content
     * @throws IOException never in practice: failures are {@link OutputException}s (kept for
     *         callers written against the older signature)
     */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /**
     * @param target final path
     * @param text UTF-8 content
     * @throws IOException as {@link #write(Path, byte[])}
     */
    public static void writeString(Path target, String text) throws IOException {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Streams content into the target atomically; on any failure the target is untouched and
     * the temp file removed.
     *
     * @param target final path (parent folders are created)
     * @param body writes the content
     * @throws IOException an error of the body itself that is not about the output location
     */
    public static void write(Path target, Body body) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        if (Files.isDirectory(abs)) {
            throw new OutputException(target + ": is a folder, a file is needed here");
        }
        Path dir = abs.getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new OutputException("cannot create folder " + dir + ": " + IoMessages.reason(e), e);
        }
        Path tmp = createFresh(dir, abs.getFileName().toString());
        boolean moved = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
                 OutputStream out = Channels.newOutputStream(ch)) {
                body.writeTo(out);
                out.flush();
                ch.force(true);
            } catch (IOException e) {
                throw new OutputException("cannot write " + target + ": " + IoMessages.reason(e), e);
            }
            move(tmp, abs);
            moved = true;
            syncFolder(dir);
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * Moves a finished temp file (or folder) into place, atomically where the file system
     * allows.
     *
     * @param tmp the finished file
     * @param target final path
     * @throws OutputException on failure
     */
    public static void move(Path tmp, Path target) {
        try {
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new OutputException("cannot write " + target + ": " + IoMessages.reason(e), e);
        }
    }

    /**
     * A fresh hidden temp name beside a target, created exclusively so that no existing file is
     * ever reused; the name keeps a readable prefix of the target's name.
     *
     * @param dir the target's folder
     * @param name the target's file name
     * @return the new, empty temp file
     */
    static Path createFresh(Path dir, String name) {
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve(freshName(name, "tmp"));
            try {
                // No file attributes: the mode comes from the umask as for any new file.
                Files.newByteChannel(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return tmp;
            } catch (FileAlreadyExistsException e) {
                if (attempt > 100) {
                    throw new OutputException("cannot create a temp file in " + dir + ": " + IoMessages.reason(e), e);
                }
            } catch (IOException e) {
                throw new OutputException("cannot write into " + dir + ": " + IoMessages.reason(e), e);
            }
        }
    }

    /**
     * @param name a target's file name
     * @param kind "tmp" or "old"
     * @return {@code .<name prefix>.<random>.<kind>}, short enough for any file system
     */
    static String freshName(String name, String kind) {
        String prefix = name.length() > NAME_IN_TEMP ? name.substring(0, NAME_IN_TEMP) : name;
        return "." + prefix + "." + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1) + "." + kind;
    }

    /** Makes a rename durable; a file system that cannot sync folders is left as it is. */
    static void syncFolder(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Not every platform can open a folder for syncing; the rename itself stays atomic.
        }
    }
}
