package org.metaunsup.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metaunsup.OutputException;

/** The atomic file and folder writers: what they leave, what they never touch, their modes. */
class AtomicWritesTest {

    @TempDir
    Path dir;

    @Test
    void aFileGetsTheUmaskModeNotOwnerOnly() throws Exception {
        Path plain = Files.createFile(dir.resolve("plain"));   // what the umask gives a new file
        Path target = dir.resolve("out.txt");
        AtomicFiles.writeString(target, "x");
        assertEquals(PosixFilePermissions.toString(Files.getPosixFilePermissions(plain)),
                PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        assertEquals(List.of("out.txt", "plain"), names(dir));
    }

    @Test
    void aFailedWriteLeavesTheTargetAndNoTempFile() throws Exception {
        Path target = dir.resolve("out.txt");
        Files.writeString(target, "old");
        Files.writeString(dir.resolve("out.txt.tmp"), "the user's");
        assertThrows(OutputException.class, () -> AtomicFiles.write(target, out -> {
            out.write("new, half".getBytes());
            throw new IOException("disk full");
        }));
        assertEquals("old", Files.readString(target));
        assertEquals("the user's", Files.readString(dir.resolve("out.txt.tmp")));
        assertEquals(List.of("out.txt", "out.txt.tmp"), names(dir));
    }

    @Test
    void aFolderIsReplacedOnlyWhenTheNewOneIsComplete() throws Exception {
        Path target = dir.resolve("trace");
        Files.createDirectories(target);
        Files.writeString(target.resolve("index.json"), "old index");
        Files.writeString(target.resolve("a.npy"), "old a");
        try (AtomicFolder f = AtomicFolder.begin(target, "--out", "index.json")) {
            Files.writeString(f.dir().resolve("a.npy"), "new a");
            // failure before the index: no commit
        }
        assertEquals("old index", Files.readString(target.resolve("index.json")));
        assertEquals("old a", Files.readString(target.resolve("a.npy")));
        assertEquals(List.of("trace"), names(dir), "temp folder removed");

        try (AtomicFolder f = AtomicFolder.begin(target, "--out", "index.json")) {
            Files.writeString(f.dir().resolve("index.json"), "new index");
            f.commit();
        }
        assertEquals("new index", Files.readString(target.resolve("index.json")));
        assertFalse(Files.exists(target.resolve("a.npy")));
        assertEquals(List.of("trace"), names(dir), "old folder removed");
    }

    @Test
    void aUsersFolderIsNeverReplacedButNamedFilesAreCarriedOver() throws Exception {
        Path user = Files.createDirectories(dir.resolve("mine"));
        Files.writeString(user.resolve("notes.txt"), "keep me");
        OutputException e = assertThrows(OutputException.class, () -> AtomicFolder.begin(user, "--out", "MD5SUMS"));
        assertTrue(e.getMessage().contains("not an earlier output"), e.getMessage());
        assertEquals("keep me", Files.readString(user.resolve("notes.txt")));

        Path data = Files.createDirectories(dir.resolve("alphabet"));
        Files.writeString(data.resolve("MD5SUMS"), "old");
        Files.writeString(data.resolve("README.md"), "hand-written");
        try (AtomicFolder f = AtomicFolder.begin(data, "--out", "MD5SUMS").keeping("README.md")) {
            Files.writeString(f.dir().resolve("MD5SUMS"), "new");
            f.commit();
        }
        assertEquals("new", Files.readString(data.resolve("MD5SUMS")));
        assertEquals("hand-written", Files.readString(data.resolve("README.md")));
    }

    @Test
    void anAbortedFolderRemovesTheParentsItCreated() throws Exception {
        try (AtomicFolder f = AtomicFolder.begin(dir.resolve("a/b/c"), "--out", null)) {
            Files.writeString(f.dir().resolve("x"), "x");
        }
        assertEquals(List.of(), names(dir));
    }

    @Test
    void checksLeaveNothingBehind() throws Exception {
        Files.writeString(dir.resolve("afile"), "x");
        assertThrows(OutputException.class, () -> OutputPaths.file(dir.resolve("afile/x"), "--out"));
        assertThrows(OutputException.class, () -> OutputPaths.folder(dir.resolve("n".repeat(300)), "--out", null));
        assertThrows(OutputException.class, () -> OutputPaths.file(dir.resolve("new/" + "n".repeat(300)), "--out"));
        assertEquals(dir.resolve("new/deeper/ok.txt"), OutputPaths.file(dir.resolve("new/deeper/ok.txt"), "--out"));
        assertEquals(List.of("afile"), names(dir));
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
