package org.metaunsup.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real small file system for full-disk tests: a tmpfs of a few megabytes mounted on a folder
 * (needs root or CAP_SYS_ADMIN, as CI and the development machines have), filled to the last byte
 * by {@link #fill} and freed by {@link #free}. A machine that cannot mount aborts the test as not
 * runnable there, saying why, rather than passing it.
 */
public final class SmallDisk implements AutoCloseable {

    private final Path mount;
    private final Path filler;

    private SmallDisk(Path mount) {
        this.mount = mount;
        this.filler = mount.resolve("filler.bin");
    }

    /**
     * @param mount an empty folder (created)
     * @param megabytes size of the file system
     * @return the mounted disk
     */
    public static SmallDisk mount(Path mount, int megabytes) throws Exception {
        Files.createDirectories(mount);
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m", "tmpfs",
                mount.toString()).redirectErrorStream(true).start();
        boolean done = p.waitFor(30, TimeUnit.SECONDS);
        String out = new String(p.getInputStream().readAllBytes());
        Assumptions.assumeTrue(done && p.exitValue() == 0, "cannot mount a tmpfs here (needs root): " + out.strip());
        return new SmallDisk(mount);
    }

    /** @return the mounted folder */
    public Path dir() {
        return mount;
    }

    /** Writes a file until the disk refuses more ("No space left on device"). */
    public void fill() throws IOException {
        byte[] chunk = new byte[64 << 10];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(chunk);
            }
        } catch (IOException e) {
            if (e.getMessage() == null || !e.getMessage().contains("No space left on device")) {
                throw e;
            }
        }
        // The last partial page: single bytes until nothing fits.
        try (OutputStream out = Files.newOutputStream(filler, StandardOpenOption.APPEND)) {
            while (true) {
                out.write(0);
                out.flush();
            }
        } catch (IOException e) {
            // full
        }
    }

    /** Removes the filler: the disk is good again. */
    public void free() throws IOException {
        Files.deleteIfExists(filler);
    }

    @Override
    public void close() throws Exception {
        new ProcessBuilder("umount", "-l", mount.toString()).redirectErrorStream(true).start().waitFor(30, TimeUnit.SECONDS);
    }
}
