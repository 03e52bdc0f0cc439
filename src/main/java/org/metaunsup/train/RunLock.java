package org.metaunsup.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;
import org.metaunsup.BadInputException;

/**
 * One writer per run folder: an operating-system lock ({@link FileChannel#tryLock()}, a POSIX
 * record lock on Linux) on {@code <run>/.lock}, held for as long as the run is open. The kernel
 * releases it when the process ends in any way, {@code kill -9} included, so a killed run never
 * leaves its folder locked; the file's presence means nothing, only the lock does. The file holds
 * the owner's process id, for the refusal message.
 *
 * <p>The lock file is read and written only through this class: on Linux, closing any other
 * descriptor of a locked file in the same process would drop the lock.
 */
public final class RunLock implements AutoCloseable {

    /** The lock file's name inside a run folder. */
    public static final String FILE = ".lock";

    /** How long a new writer waits for a previous one that is ending (e.g. an orphan child). */
    static final long WAIT_MILLIS = 5_000;

    /** Lock files this JVM holds. */
    private static final Set<Path> HELD = new HashSet<>();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the run folder's lock, waiting up to {@link #WAIT_MILLIS} for a writer that is ending.
     *
     * @param runDir an existing run folder
     * @return the held lock
     * @throws BadInputException when another process holds it
     * @throws IOException when the lock file cannot be opened
     */
    public static RunLock acquire(Path runDir) throws IOException {
        Path file = runDir.resolve(FILE).toAbsolutePath().normalize();
        synchronized (HELD) {
            // Checked before opening: closing a second descriptor of the file would drop this JVM's lock.
            if (!HELD.add(file)) {
                throw new BadInputException("--run-dir " + runDir + " is in use by another metatrain in this process");
            }
        }
        try {
            return lock(runDir, file);
        } catch (IOException | RuntimeException e) {
            release(file);
            throw e;
        }
    }

    private static RunLock lock(Path runDir, Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            long end = System.nanoTime() + WAIT_MILLIS * 1_000_000;
            while (true) {
                FileLock l = ch.tryLock();
                if (l != null) {
                    ch.truncate(0);
                    ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
                    ch.force(false);
                    return new RunLock(file, ch, l);
                }
                if (System.nanoTime() > end) {
                    throw new BadInputException("--run-dir " + runDir + " is in use by another metatrain (process "
                            + owner(ch) + "); stop it first, or choose another folder");
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            ch.close();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the run folder's lock", e);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** The process id the holder wrote, or "unknown". */
    private static String owner(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(32);
            int n = ch.read(b, 0);
            String s = n <= 0 ? "" : new String(b.array(), 0, n, StandardCharsets.UTF_8).strip();
            return s.matches("\\d+") ? s : "unknown";
        } catch (IOException e) {
            return "unknown";
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
            release(file);
        }
    }

    private static void release(Path file) {
        synchronized (HELD) {
            HELD.remove(file);
        }
    }
}
