package org.metaunsup.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.metaunsup.BadInputException;

/**
 * A damaged newest checkpoint — flipped bytes, cut short, its manifest gone — is refused with one
 * line naming why and the previous one is used; with both damaged the resume is refused with one
 * line and the run folder is left exactly as it was.
 */
class DamagedCheckpointTest {

    @TempDir
    static Path shared;
    private static Path original;

    @TempDir
    Path tmp;

    /** One run to outer step 4: checkpoints at 2 and 4. */
    @BeforeAll
    static void run() throws IOException {
        original = shared.resolve("run");
        TrainFixture.run(TrainFixture.tiny(original, 4, 1), new TrainFixture.Log(), null);
    }

    private Path copy(String name) throws IOException {
        Path dir = tmp.resolve(name);
        try (Stream<Path> s = Files.walk(original)) {
            for (Path p : s.toList()) {
                Path to = dir.resolve(original.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        return dir;
    }

    private static void damage(Path ckptDir, String name, String how) throws IOException {
        Path bin = ckptDir.resolve(name + ".bin");
        switch (how) {
            case "flipped" -> {
                byte[] b = Files.readAllBytes(bin);
                b[b.length / 3] ^= 0x01;
                Files.write(bin, b);
            }
            case "truncated" -> {
                byte[] b = Files.readAllBytes(bin);
                Files.write(bin, Arrays.copyOf(b, b.length - 7));
            }
            case "no-manifest" -> Files.delete(ckptDir.resolve(name + ".json"));
            case "no-state" -> Files.delete(bin);
            default -> throw new IllegalArgumentException(how);
        }
    }

    private static String why(String how) {
        return switch (how) {
            case "flipped", "truncated" -> "does not match the SHA-256 in its manifest";
            case "no-manifest" -> "manifest " ;
            case "no-state" -> "state file is missing";
            default -> throw new IllegalArgumentException(how);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"flipped", "truncated", "no-manifest", "no-state"})
    void aDamagedNewestIsRefusedAndThePreviousUsed(String how) throws Exception {
        Path dir = copy(how);
        Path ck = dir.resolve(Checkpoint.FOLDER);
        List<String> names = Checkpoint.names(ck);
        assertEquals(2, names.size(), names.toString());
        damage(ck, names.get(0), how);
        TrainFixture.Log log = new TrainFixture.Log();
        MetaTrainer.Result r = TrainFixture.run(TrainFixture.tiny(dir, 6, 1).resuming(), log, null);
        assertEquals(6, r.step());
        List<String> refused = log.messages.stream().filter(m -> m.contains("refused")).toList();
        assertEquals(1, refused.size(), log.messages.toString());
        assertTrue(refused.get(0).startsWith("checkpoint " + names.get(0) + " refused: ")
                && refused.get(0).contains(why(how)) && !refused.get(0).contains("\n"), refused.get(0));
        assertTrue(log.messages.contains("resuming from checkpoint " + names.get(1) + " (outer step 2)"),
                log.messages.toString());
        RunChild.assertIntact(dir, 6);
    }

    @Test
    void bothDamagedIsOneLineAndNothingChanges() throws Exception {
        Path dir = copy("both");
        Path ck = dir.resolve(Checkpoint.FOLDER);
        List<String> names = Checkpoint.names(ck);
        damage(ck, names.get(0), "flipped");
        damage(ck, names.get(1), "truncated");
        Map<String, String> before = tree(dir);
        BadInputException e = assertThrows(BadInputException.class,
                () -> TrainFixture.run(TrainFixture.tiny(dir, 6, 1).resuming(), new TrainFixture.Log(), null));
        assertTrue(e.getMessage().contains("no checkpoint in") && e.getMessage().contains("nothing changed")
                && e.getMessage().contains(names.get(0)) && e.getMessage().contains(names.get(1)), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertEquals(before, tree(dir), "the run folder is exactly as it was");
    }

    /** Every file's SHA-256 by relative path. */
    private static Map<String, String> tree(Path dir) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            // The lock file holds the pid of the last process that took the lock: not run data.
            for (Path p : s.filter(Files::isRegularFile).filter(p -> !p.endsWith(RunLock.FILE)).toList()) {
                m.put(dir.relativize(p).toString(), Checkpoint.sha256(Files.readAllBytes(p)));
            }
        }
        return m;
    }
}
