package org.metaunsup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metaunsup.data.IdxWriter;
import org.metaunsup.testing.SmallDisk;

/**
 * Outputs that fail: a user's folder of other things, a read-only file system and a full disk,
 * for {@code evaluate}, {@code features} and {@code report}. Each is one line with exit 1 or 2,
 * no half-written folder appears, and earlier outputs stay intact.
 */
class FaultyOutputsTest {

    @TempDir
    Path tmp;

    private static final String[] EVALUATE = {"evaluate", "--rule", "random", "--config", "tiny", "--arch", "6,5,4",
        "--steps", "2", "--every", "2", "--seeds", "1", "--query", "100", "--draws", "2"};

    private String idx() throws Exception {
        Random rnd = new Random(4);
        byte[] px = new byte[300 * 16];
        rnd.nextBytes(px);
        Path images = tmp.resolve("images.idx");
        Files.write(images, IdxWriter.encode(new int[] {300, 4, 4}, px));
        return "idx:" + images;
    }

    private String[] features(Path out) throws Exception {
        return new String[] {"features", "--rule", "random", "--config", "tiny", "--dataset", idx(), "--steps", "2",
            "--out", out.toString()};
    }

    private static String[] with(String[] args, String... more) {
        return Stream.concat(Stream.of(args), Stream.of(more)).toArray(String[]::new);
    }

    private static void assertOneLine(CliRunner.Result r, String... fragments) {
        assertTrue(r.code() == 1 || r.code() == 2, "exit " + r.code() + ": " + r.err());
        List<String> errors = r.err().lines().filter(l -> l.startsWith("error") || l.startsWith("internal error")
                || l.contains("\tat ")).toList();
        assertEquals(1, errors.size(), r.err());
        for (String f : fragments) {
            assertTrue(errors.get(0).toLowerCase(Locale.ROOT).contains(f), errors.get(0));
        }
    }

    private static List<String> visible(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aFolderOfOtherThingsIsRefusedBeforeWork() throws Exception {
        Path mine = tmp.resolve("mine");
        Files.createDirectories(mine);
        Files.writeString(mine.resolve("notes.txt"), "mine");
        CliRunner.Result e = CliRunner.run(with(EVALUATE, "--out", mine.toString()));
        assertOneLine(e, "not an earlier output");
        assertEquals(2, e.code());
        assertFalse(e.err().contains("evaluate: "), "refused before the work started: " + e.err());
        CliRunner.Result f = CliRunner.run(features(mine));
        assertOneLine(f, "not an earlier output");
        assertFalse(f.err().contains("inner steps of"), "refused before the work started: " + f.err());
        assertEquals(List.of("notes.txt"), visible(mine));
    }

    @Test
    void aReadOnlyFileSystemIsRefusedBeforeWork() throws Exception {
        Path ro = tmp.resolve("ro");
        try (SmallDisk disk = SmallDisk.mount(ro, 1)) {
            new ProcessBuilder("mount", "-o", "remount,ro", ro.toString()).start().waitFor();
            CliRunner.Result e = CliRunner.run(with(EVALUATE, "--out", ro.resolve("e").toString()));
            assertOneLine(e, "read-only");
            assertEquals(2, e.code());
            CliRunner.Result f = CliRunner.run(features(ro.resolve("f")));
            assertOneLine(f, "read-only");
            assertFalse(f.err().contains("inner steps of"), f.err());
            assertEquals(List.of(), visible(ro));
        }
    }

    @Test
    void aFullDiskIsOneLineLeavesNoHalfFolderAndKeepsEarlierOutputs() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(tmp.resolve("disk"), 8)) {
            Path earlier = disk.dir().resolve("earlier");
            CliRunner.Result ok = CliRunner.run(with(EVALUATE, "--out", earlier.toString()));
            assertEquals(0, ok.code(), ok.err());
            List<String> earlierFiles = visible(earlier);
            disk.fill();
            assertOneLine(CliRunner.run(with(EVALUATE, "--out", disk.dir().resolve("e").toString())),
                    "no space left on device");
            assertOneLine(CliRunner.run(features(disk.dir().resolve("f"))), "no space left on device");
            assertOneLine(CliRunner.run("trace", "--config", "tiny", "--seed", "1", "--out",
                    disk.dir().resolve("t").toString()), "no space left on device");
            // An earlier output replaced by a run that cannot finish stays as it was.
            assertOneLine(CliRunner.run(with(EVALUATE, "--out", earlier.toString())), "no space left on device");
            assertEquals(earlierFiles, visible(earlier));
            assertOneLine(CliRunner.run("report", "--run-dir", earlier.toString()), "no space left on device");
            assertFalse(Files.exists(earlier.resolve("report.html")));
            assertEquals(List.of("earlier", "filler.bin"), visible(disk.dir()), "no half folder, no temp folder");
        }
    }
}
