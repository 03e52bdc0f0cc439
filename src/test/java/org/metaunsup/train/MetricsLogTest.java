package org.metaunsup.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metaunsup.BadInputException;

/** The append-only metrics files: cut back on resume, whole rows under threads, readers that skip and say. */
class MetricsLogTest {

    @TempDir
    Path tmp;

    private static final List<String> COLUMNS = List.of("outer_step", "value");

    @Test
    void resumeCutsBackToTheCheckpointAndRowsAfterItAreWrittenOnce() throws Exception {
        Map<String, Long> lengths;
        try (MetricsLog log = new MetricsLog(tmp, "m", COLUMNS)) {
            log.open(Map.of());
            log.append(Map.of("outer_step", 1, "value", 0.5));
            lengths = log.lengths();
            log.append(Map.of("outer_step", 2, "value", 0.25));
        }
        // A row torn by a full disk after the checkpoint.
        Files.writeString(tmp.resolve("m.jsonl"), "{\"outer_step\":3,\"val", java.nio.file.StandardOpenOption.APPEND);
        try (MetricsLog log = new MetricsLog(tmp, "m", COLUMNS)) {
            log.open(lengths);
            log.append(Map.of("outer_step", 2, "value", 0.125));
        }
        MetricsLog.Read read = MetricsLog.read(tmp.resolve("m.jsonl"));
        assertEquals(List.of(), read.skipped());
        assertEquals(List.of(1, 2), read.rows().stream().map(r -> r.get("outer_step")).toList());
        assertEquals(0.125, read.rows().get(1).get("value"));
        assertEquals(List.of("outer_step,value", "1,0.500000", "2,0.125000"), Files.readAllLines(tmp.resolve("m.csv")));
    }

    @Test
    void anOlderRunsCsvKeepsItsHeaderAndTheJsonGetsEveryColumn() throws Exception {
        Map<String, Long> lengths;
        try (MetricsLog log = new MetricsLog(tmp, "m", List.of("outer_step", "value"))) {
            log.open(Map.of());
            log.append(Map.of("outer_step", 1, "value", 0.5));
            lengths = log.lengths();
        }
        try (MetricsLog log = new MetricsLog(tmp, "m", List.of("outer_step", "new_column", "value"))) {
            log.open(lengths);
            log.append(Map.of("outer_step", 2, "new_column", 7, "value", 0.25));
        }
        assertEquals(List.of("outer_step,value", "1,0.500000", "2,0.250000"), Files.readAllLines(tmp.resolve("m.csv")));
        assertEquals(7, MetricsLog.read(tmp.resolve("m.jsonl")).rows().get(1).get("new_column"));
    }

    @Test
    void aFileShorterThanItsCheckpointIsRefused() throws Exception {
        try (MetricsLog log = new MetricsLog(tmp, "m", COLUMNS)) {
            log.open(Map.of());
            log.append(Map.of("outer_step", 1, "value", 0.5));
        }
        Files.writeString(tmp.resolve("m.jsonl"), "");
        try (MetricsLog log = new MetricsLog(tmp, "m", COLUMNS)) {
            BadInputException e = assertThrows(BadInputException.class, () -> log.open(Map.of("m.jsonl", 20L, "m.csv", 18L)));
            assertTrue(e.getMessage().contains("rows before the checkpoint are gone"), e.getMessage());
        }
    }

    @Test
    void rowsFromManyThreadsNeverInterleave() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (MetricsLog log = new MetricsLog(tmp, "m", COLUMNS)) {
            log.open(Map.of());
            String wide = "x".repeat(5000);
            for (int i = 0; i < 400; i++) {
                int n = i;
                pool.submit(() -> {
                    log.append(Map.of("outer_step", n, "value", wide));
                    return null;
                });
            }
            pool.shutdown();
            assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
        }
        MetricsLog.Read read = MetricsLog.read(tmp.resolve("m.jsonl"));
        assertEquals(List.of(), read.skipped());
        assertEquals(400, read.rows().size());
        assertEquals(401, Files.readAllLines(tmp.resolve("m.csv")).size());
    }

    @Test
    void readersSkipATornLastLineAndGarbageAndSaySo() throws Exception {
        Path f = tmp.resolve("x.jsonl");
        List<byte[]> parts = new ArrayList<>();
        parts.add("{\"outer_step\":1}\n".getBytes(StandardCharsets.UTF_8));
        parts.add(new byte[] {0, (byte) 0xff, 0x12, '\n'});
        parts.add("{\"outer_step\":2}\n[1,2]\n{\"outer_step\":3,\"tr".getBytes(StandardCharsets.UTF_8));
        try (var out = Files.newOutputStream(f)) {
            for (byte[] p : parts) {
                out.write(p);
            }
        }
        MetricsLog.Read read = MetricsLog.read(f);
        assertEquals(List.of(1, 2), read.rows().stream().map(r -> r.get("outer_step")).toList());
        assertEquals(3, read.skipped().size(), read.skipped().toString());
        assertTrue(read.skipped().get(0).contains("line 2") && read.skipped().get(2).contains("torn"),
                read.skipped().toString());
        assertEquals(List.of(), MetricsLog.read(tmp.resolve("absent.jsonl")).rows());
    }
}
