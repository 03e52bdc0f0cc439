package org.metaunsup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metaunsup.BadInputException;
import org.metaunsup.DivergenceException;
import org.metaunsup.OutputException;
import org.metaunsup.config.ConfigLoader;
import org.metaunsup.report.Provenance;
import org.metaunsup.report.RunFolder;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/** The one study lifecycle: how each ending is recorded, what is kept, and that no failure hides another. */
class StudyRunTest {

    @TempDir
    Path tmp;

    private Provenance provenance() {
        return Provenance.of("evaluate", ConfigLoader.load("tiny")).seed("run", 7L).field("dataset", "mnist14")
                .field("rule", "random").build();
    }

    /** A study that writes one result, then ends as {@code end} says. */
    private static StudyRun.Work work(ThrowingEnd end, ThrowingPartial partial) {
        return new StudyRun.Work() {
            @Override
            public StudyRun.Ending run(Path dir, BooleanSupplier stop) throws Exception {
                Files.writeString(dir.resolve("result.csv"), "a,b\n");
                return end.get();
            }

            @Override
            public void writePartial(Path dir) throws IOException {
                partial.write(dir);
            }
        };
    }

    interface ThrowingEnd {
        StudyRun.Ending get() throws Exception;
    }

    interface ThrowingPartial {
        void write(Path dir) throws IOException;
    }

    private JsonNode manifest(Path dir) throws IOException {
        return new ObjectMapper().readTree(dir.resolve(RunFolder.MANIFEST).toFile());
    }

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aFinishedRunIsRenamedIntoPlaceWithItsProvenance() throws Exception {
        Path out = tmp.resolve("run");
        assertEquals(0, StudyRun.check(out, "evaluate").run(provenance(), work(StudyRun.Ending::finished, d -> { })));
        JsonNode m = manifest(out);
        assertEquals("finished", m.get("status").asText());
        assertTrue(m.get("finished").asBoolean());
        assertEquals("evaluate", m.get("command").asText());
        assertEquals(7, m.get("seeds").get("run").asInt());
        assertEquals(List.of("dataset", "rule"), List.of(fieldAfter(m, "status", 1), fieldAfter(m, "status", 2)),
                "the study's fields follow, in their order");
        assertTrue(Files.isRegularFile(out.resolve("result.csv")));
        assertTrue(Files.isRegularFile(out.resolve("config.properties")));
        assertEquals(List.of("run"), names(), "no temp folder left beside it");
    }

    private static String fieldAfter(JsonNode m, String key, int k) {
        List<String> names = new ArrayList<>();
        m.fieldNames().forEachRemaining(names::add);
        return names.get(names.indexOf(key) + k);
    }

    @Test
    void aStoppedRunKeepsItsResultsAndSaysWhy() throws Exception {
        Path out = tmp.resolve("run");
        StudyRun.check(out, "evaluate").run(provenance(), work(() -> StudyRun.Ending.of(false, "stopped after 2"),
                d -> { }));
        assertEquals("stopped", manifest(out).get("status").asText());
        assertFalse(manifest(out).get("finished").asBoolean());
        assertEquals("stopped after 2", manifest(out).get("error").asText());
        assertTrue(Files.isRegularFile(out.resolve("result.csv")));
    }

    @Test
    void aFailureKeepsThePartialResultsAndIsThrownUnchanged() throws Exception {
        Path out = tmp.resolve("run");
        IllegalStateException boom = new IllegalStateException("boom\nsecond line");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> StudyRun.check(out, "evaluate")
                .run(provenance(), work(() -> {
                    throw boom;
                }, d -> Files.writeString(d.resolve("partial.csv"), "x\n"))));
        assertSame(boom, thrown);
        assertEquals("failed", manifest(out).get("status").asText());
        assertEquals("boom | second line", manifest(out).get("error").asText());
        assertTrue(Files.isRegularFile(out.resolve("partial.csv")));
        assertEquals(List.of("run"), names());
    }

    @Test
    void aSecondFailureIsSuppressedNeverThrownInsteadOfTheFirst() throws Exception {
        Path out = tmp.resolve("run");
        IOException disk = new IOException("No space left on device");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> StudyRun.check(out, "evaluate")
                .run(provenance(), work(() -> {
                    throw new IllegalStateException("first");
                }, d -> {
                    throw disk;
                })));
        assertEquals("first", thrown.getMessage());
        assertEquals(List.of(disk), List.of(thrown.getSuppressed()));
        assertEquals("failed", manifest(out).get("status").asText(), "the manifest is still written");
    }

    @Test
    void aDivergenceIsRecordedAndTheLineNamesTheUnfinishedFolder() throws Exception {
        Path out = tmp.resolve("run");
        DivergenceException thrown = assertThrows(DivergenceException.class, () -> StudyRun.check(out, "evaluate")
                .run(provenance(), work(() -> {
                    throw new DivergenceException("the base model", 3, "meta-loss NaN", null);
                }, d -> { })));
        assertTrue(thrown.getMessage().matches("the base model diverged at inner step 3 .*run folder .*run holds what "
                + "was measured before \\(finished: false\\)"), thrown.getMessage());
        assertEquals("diverged", manifest(out).get("status").asText());
    }

    @Test
    void badInputFoundDuringTheWorkLeavesNothing() throws Exception {
        Path out = tmp.resolve("run");
        assertThrows(BadInputException.class, () -> StudyRun.check(out, "evaluate").run(provenance(), work(() -> {
            throw new BadInputException("--steps too large for this dataset");
        }, d -> { })));
        assertEquals(List.of(), names(), "no folder, no temp folder");
    }

    @Test
    void theOutputIsCheckedBeforeAnyWork() throws Exception {
        Files.writeString(tmp.resolve("afile"), "x");
        assertThrows(OutputException.class, () -> StudyRun.check(tmp.resolve("afile"), "evaluate"));
        Files.createDirectories(tmp.resolve("mine"));
        Files.writeString(tmp.resolve("mine").resolve("notes.txt"), "mine");
        assertThrows(OutputException.class, () -> StudyRun.check(tmp.resolve("mine"), "evaluate"),
                "a user's folder of other things is never replaced");
    }
}
