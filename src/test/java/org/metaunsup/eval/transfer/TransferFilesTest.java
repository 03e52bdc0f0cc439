package org.metaunsup.eval.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metaunsup.config.Activation;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.IntRange;
import org.metaunsup.eval.CurvePoint;
import org.metaunsup.testing.SmallDisk;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/** transfer.csv, summary.txt and figures.json of the architecture-transfer study. */
class TransferFilesTest {

    @TempDir
    Path tmp;

    static List<TransferStudy.Measured> measured() {
        BaseModelConfig base = new BaseModelConfig(new int[] {196, 32, 8}, Activation.parse("relu"));
        TransferStudy.Point p = new TransferStudy.Point(TransferStudy.Axis.WIDTH, 32, 1, base);
        List<CurvePoint> points = List.of(
                new CurvePoint("rule", 0, 0, 2.0, 0.2, 0.25), new CurvePoint("rule", 1, 0, 2.0, 0.4, 0.25),
                new CurvePoint("rule", 0, 5, 1.0, 0.5, 0.5), new CurvePoint("rule", 1, 5, 1.0, 0.7, 0.5));
        return List.of(new TransferStudy.Measured(p, points, 1.25, true, false));
    }

    static Map<String, String> labels() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("rule", "learned rule");
        return m;
    }

    static TransferFiles.Description description() {
        return new TransferFiles.Description("Transfer title", "the protocol", "rule r", 5, new IntRange(16, 64),
                new IntRange(1, 2), "the card");
    }

    @Test
    void csvHasOneRowPerArchitectureMethodAndStep() {
        List<String> lines = TransferFiles.csv(measured(), labels()).lines().toList();
        assertEquals(TransferFiles.HEADER, lines.get(0));
        assertEquals(3, lines.size());
        assertEquals("width,32,1,rule,5,2,0.600000,0.100000,0.500000,0.000000,1.000000,0.000000,1.250", lines.get(2));
    }

    @Test
    void writeLeavesTheCsvTheSummaryAndAnIndexNamingTheFigure() throws Exception {
        TransferFiles.write(tmp, measured(), labels(), description(), false);
        assertEquals(TransferFiles.csv(measured(), labels()), Files.readString(tmp.resolve("transfer.csv")));
        assertTrue(Files.readString(tmp.resolve("summary.txt")).startsWith("Transfer title"));
        assertTrue(Files.size(tmp.resolve("transfer.png")) > 1000);
        JsonNode index = new ObjectMapper().readTree(tmp.resolve("figures.json").toFile());
        assertEquals("transfer.png", index.get("figures").get(0).get("image").asText());
        assertEquals("transfer.csv", index.get("figures").get(0).get("table").asText());
    }

    @Test
    void onAFullDiskTheEarlierFilesStayWhole() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(tmp.resolve("disk"), 1)) {
            Path dir = Files.createDirectories(disk.dir().resolve("run"));
            TransferFiles.write(dir, measured(), labels(), description(), true);
            String csv = Files.readString(dir.resolve("transfer.csv"));
            String summary = Files.readString(dir.resolve("summary.txt"));
            disk.fill();
            assertThrows(Exception.class, () -> TransferFiles.write(dir, measured(), labels(), description(), false));
            assertEquals(csv, Files.readString(dir.resolve("transfer.csv")));
            assertEquals(summary, Files.readString(dir.resolve("summary.txt")));
            try (var s = Files.list(dir)) {
                assertEquals(List.of(), s.map(f -> f.getFileName().toString()).filter(n -> n.startsWith(".")).toList());
            }
        }
    }
}
