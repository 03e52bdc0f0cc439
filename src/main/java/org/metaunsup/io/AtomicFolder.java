package org.metaunsup.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.metaunsup.OutputException;

/**
 * The one way folders of results are written, so that "a folder with its index is complete"
 * holds: everything goes into a fresh hidden folder beside the target, and {@link #commit}
 * renames it into place. An existing target (an earlier output of the same kind, see
 * {@link OutputPaths#folder}) is replaced only then, when the new one is complete; closing
 * without a commit removes the temp folder and any parent folders this created.
 *
 * <pre>{@code
 * try (AtomicFolder out = AtomicFolder.begin(dir, "--out", "index.json")) {
 *     write files into out.dir() ...
 *     out.commit();
 * }
 * }</pre>
 */
public final class AtomicFolder implements AutoCloseable {

    private final Path target;
    private final Path tmp;
    private final List<Path> createdParents;
    private final List<String> keep = new ArrayList<>();
    private boolean committed;

    private AtomicFolder(Path target, Path tmp, List<Path> createdParents) {
        this.target = target;
        this.tmp = tmp;
        this.createdParents = createdParents;
    }

    /**
     * Checks the target ({@link OutputPaths#folder}) and creates the temp folder beside it.
     *
     * @param target the final folder
     * @param label how the user named it, e.g. "--out"
     * @param marker the file every output folder of this kind holds, or null
     * @return the open folder; write into {@link #dir()}
     * @throws OutputException when the target cannot be written or must not be replaced
     */
    public static AtomicFolder begin(Path target, String label, String marker) {
        Path abs = OutputPaths.folder(target, label, marker);
        Path parent = abs.getParent();
        List<Path> created = new ArrayList<>();
        try {
            for (Path p = parent; p != null && !Files.exists(p); p = p.getParent()) {
                created.add(0, p);
            }
            for (Path p : created) {
                Files.createDirectory(p);
            }
            // No attributes: the folder's mode comes from the umask, not 0700.
            Path tmp = parent.resolve(AtomicFiles.freshName(abs.getFileName().toString(), "tmp"));
            Files.createDirectory(tmp);
            return new AtomicFolder(abs, tmp, created);
        } catch (IOException e) {
            removeEmpty(created);
            throw new OutputException(label + " " + target + ": cannot write: " + IoMessages.reason(e), e);
        }
    }

    /** @return the temp folder to write into (it becomes {@link #target()} on commit) */
    public Path dir() {
        return tmp;
    }

    /** @return the absolute final folder */
    public Path target() {
        return target;
    }

    /**
     * Files of an existing target to carry over into the new folder when the new one does not
     * write them itself (e.g. a hand-written README beside generated data).
     *
     * @param names file names directly in the target
     * @return this
     */
    public AtomicFolder keeping(String... names) {
        keep.addAll(List.of(names));
        return this;
    }

    /**
     * Flushes every file to disk and renames the temp folder onto the target, replacing an
     * existing target only now.
     *
     * @return the final folder
     * @throws OutputException on failure (an existing target is then left as it was)
     */
    public Path commit() {
        if (committed) {
            return target;
        }
        Path parent = target.getParent();
        try {
            if (Files.isDirectory(target)) {
                for (String name : keep) {
                    Path from = target.resolve(name);
                    if (Files.isRegularFile(from) && !Files.exists(tmp.resolve(name))) {
                        Files.copy(from, tmp.resolve(name), StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
            syncTree(tmp);
            if (Files.isDirectory(target)) {
                Path old = parent.resolve(AtomicFiles.freshName(target.getFileName().toString(), "old"));
                rename(target, old);
                try {
                    rename(tmp, target);
                } catch (IOException e) {
                    rename(old, target);
                    throw e;
                }
                committed = true;
                deleteTree(old);
            } else {
                rename(tmp, target);
                committed = true;
            }
            AtomicFiles.syncFolder(parent);
            return target;
        } catch (IOException e) {
            throw new OutputException("cannot write " + target + ": " + IoMessages.reason(e), e);
        }
    }

    /** Removes the temp folder unless committed. */
    @Override
    public void close() {
        if (committed) {
            return;
        }
        try {
            deleteTree(tmp);
        } catch (IOException e) {
            // Best effort: a hidden temp folder beside the target is all that can remain.
        }
        removeEmpty(createdParents);
    }

    private static void rename(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    private static void syncTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (Files.isRegularFile(p)) {
                    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
                        ch.force(true);
                    }
                } else if (Files.isDirectory(p)) {
                    AtomicFiles.syncFolder(p);
                }
            }
        }
    }

    /**
     * Deletes a folder and everything in it.
     *
     * @param dir folder (absent is fine)
     * @throws IOException on failure
     */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void removeEmpty(List<Path> created) {
        for (int i = created.size() - 1; i >= 0; i--) {
            try {
                Files.deleteIfExists(created.get(i));
            } catch (IOException e) {
                return;   // not empty (someone else wrote there): leave it and its parents
            }
        }
    }
}
