package org.metaunsup.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.stream.Stream;
import org.metaunsup.OutputException;

/**
 * Checks an output location before any work starts, so that a command that would compute for
 * minutes and then fail to write fails at once instead, with one line (exit code 2). A check
 * leaves nothing behind: it probes the file system by creating and removing a hidden folder in
 * the nearest existing ancestor and, inside it, every name still to be created, which catches
 * what permission bits cannot show (a read-only mount, {@code /proc}, a name too long), also
 * for root, who ignores permission bits.
 */
public final class OutputPaths {

    private OutputPaths() {}

    /**
     * Checks that a file can be written at {@code target}: it is not a folder or a special
     * file, its nearest existing ancestor is a writable folder, and every name still to be
     * created is acceptable to the file system.
     *
     * @param target the file the command will write
     * @param label how the user named it, e.g. "--out" (starts the message)
     * @return the absolute, normalised target (a symbolic link resolved to what it points at)
     * @throws OutputException naming the problem
     */
    public static Path file(Path target, String label) {
        Path abs = resolve(target);
        String where = label + " " + target;
        if (Files.isDirectory(abs)) {
            throw new OutputException(where + ": is a folder; a file name is needed");
        }
        if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(abs)) {
            throw new OutputException(where + ": exists and is not a regular file");
        }
        probe(abs, where);
        return abs;
    }

    /**
     * Checks that a folder of results can be written at {@code target} and, if it exists,
     * replaced as a whole: it must be a folder, and either empty or an earlier output of the
     * same kind (holding {@code marker}), so that a user's folder of other things is never
     * replaced by accident.
     *
     * @param target the folder the command will write
     * @param label how the user named it, e.g. "--out" (starts the message)
     * @param marker the file every output folder of this kind holds (e.g. "index.json"), or
     *        null to accept any existing folder
     * @return the absolute, normalised target (a symbolic link resolved to what it points at)
     * @throws OutputException naming the problem
     */
    public static Path folder(Path target, String label, String marker) {
        Path abs = resolve(target);
        String where = label + " " + target;
        if (abs.getParent() == null) {
            throw new OutputException(where + ": the root folder cannot be an output folder");
        }
        if (Files.exists(abs) && !Files.isDirectory(abs)) {
            throw new OutputException(where + ": exists and is a file; a folder is needed");
        }
        if (Files.isDirectory(abs) && marker != null && !Files.exists(abs.resolve(marker)) && !isEmpty(abs)) {
            throw new OutputException(where + ": a folder that is not an earlier output of this command (no "
                    + marker + "); it would be replaced as a whole, so choose a new or empty folder");
        }
        probe(abs, where);
        return abs;
    }

    /** Absolute, normalised, an existing symbolic link followed. */
    static Path resolve(Path target) {
        Path abs = target.toAbsolutePath().normalize();
        if (Files.isSymbolicLink(abs) && Files.exists(abs)) {
            try {
                return abs.toRealPath();
            } catch (IOException e) {
                return abs;
            }
        }
        return abs;
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Creates and removes a hidden folder in the nearest existing ancestor of the target's
     * folder, and inside it a file for each name from there to the target (the target's own
     * name included): the writes the command will make, without leaving anything.
     */
    private static void probe(Path abs, String where) {
        Deque<String> missing = new ArrayDeque<>();
        missing.push(abs.getFileName().toString());
        Path ancestor = abs.getParent();
        while (ancestor != null && !Files.exists(ancestor)) {
            missing.push(ancestor.getFileName().toString());
            ancestor = ancestor.getParent();
        }
        if (ancestor == null) {
            throw new OutputException(where + ": no existing folder on the path");
        }
        if (!Files.isDirectory(ancestor)) {
            throw new OutputException(where + ": " + ancestor + " is a file, not a folder");
        }
        Path probe = ancestor.resolve(AtomicFiles.freshName("metaunsup-probe", "tmp"));
        try {
            Files.createDirectory(probe);
        } catch (IOException e) {
            throw new OutputException(where + ": cannot write into " + ancestor + ": " + IoMessages.reason(e), e);
        }
        try {
            for (String name : missing) {
                Path p = probe.resolve(name);
                try {
                    Files.createFile(p);
                    Files.delete(p);
                } catch (IOException e) {
                    String reason = IoMessages.reason(e);
                    throw new OutputException(where + ": cannot create '" + shorten(name) + "': " + reason
                            + (reason.contains("too long") ? " (" + name.length() + " characters)" : ""), e);
                }
            }
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException e) {
                // Nothing else was created in it; an empty hidden folder is all that can remain.
            }
        }
    }

    private static String shorten(String name) {
        return name.length() <= 60 ? name : name.substring(0, 40) + "…" + name.substring(name.length() - 10);
    }
}
