package org.metaunsup.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metaunsup.testing.SmallDisk;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/** figures.json: what {@code report} reads to pair each figure with its numbers. */
class FigureIndexTest {

    @Test
    void writesFiguresTablesAndTextsInOrder(@TempDir Path tmp) throws Exception {
        new FigureIndex().figure("a.png", "a.csv", "A", "caption A").figure("b.png", "b.csv", "B", "caption B")
                .table("s.csv", "summary").text("summary.txt").write(tmp);
        JsonNode index = new ObjectMapper().readTree(tmp.resolve(FigureIndex.FILE).toFile());
        assertEquals(2, index.get("figures").size());
        assertEquals("b.png", index.get("figures").get(1).get("image").asText());
        assertEquals("caption A", index.get("figures").get(0).get("caption").asText());
        assertEquals("s.csv", index.get("tables").get(0).get("table").asText());
        assertEquals("summary.txt", index.get("texts").get(0).asText());
    }

    @Test
    void onAFullDiskTheEarlierIndexStaysWholeAndNoTempFileIsLeft(@TempDir Path tmp) throws Exception {
        try (SmallDisk disk = SmallDisk.mount(tmp.resolve("disk"), 1)) {
            Path dir = Files.createDirectories(disk.dir().resolve("run"));
            new FigureIndex().figure("a.png", "a.csv", "A", "c").write(dir);
            String before = Files.readString(dir.resolve(FigureIndex.FILE));
            disk.fill();
            assertThrows(Exception.class, () -> new FigureIndex().figure("b.png", "b.csv", "B", "c".repeat(5000))
                    .write(dir));
            assertEquals(before, Files.readString(dir.resolve(FigureIndex.FILE)));
            try (Stream<Path> s = Files.list(dir)) {
                assertEquals(1, s.count(), "no temp file left");
            }
        }
    }
}
