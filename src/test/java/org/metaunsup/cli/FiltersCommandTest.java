package org.metaunsup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metaunsup.config.ConfigLoader;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.export.CoreAdapter;
import org.metaunsup.export.ThetaCard;
import org.metaunsup.export.ThetaFile;
import org.nd4j.linalg.api.buffer.DataType;

/** filters on tiny settings: rows per rule and channel, a folder of theta files in step order, the report. */
class FiltersCommandTest {

    @TempDir
    Path tmp;

    private Path thetaFolder() throws Exception {
        ExperimentConfig tiny = ConfigLoader.load("tiny");
        Path dir = tmp.resolve("run/theta");
        Files.createDirectories(dir);
        for (long step : new long[] {20, 10}) {
            ThetaFile.write(dir.resolve(String.format("step-%08d%s", step, ThetaFile.EXTENSION)),
                    CoreAdapter.initTheta(tiny, step, DataType.FLOAT),
                    ThetaCard.of(tiny, step, Map.of("run", 1L), Map.of("tiny", "none")));
        }
        Files.writeString(dir.resolve("step-00000010.json"), "{}");
        return dir;
    }

    @Test
    void stackedMnistGivesGreyAndColourRowsPerRuleInStepOrderAndTheReportEmbedsThem() throws Exception {
        Path out = tmp.resolve("results/filters-stacked");
        CliRunner.Result r = CliRunner.run("filters", "--config", "tiny", "--arch", "6,5,4", "--dataset",
                "stacked-mnist14", "--rule", "random," + thetaFolder(), "--steps", "3", "--units", "3",
                "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        List<String> csv = Files.readAllLines(out.resolve("filters.csv"));
        assertEquals("row,label,inner_steps,unit,channel,max_abs_weight,roughness", csv.get(0));
        // phi0, random, step 10, step 20: 4 rows x 3 units x 3 channels.
        assertEquals(1 + 4 * 3 * 3, csv.size());
        assertTrue(csv.get(1).startsWith("0,\"phi0 (untrained)\",0,"), csv.get(1));
        assertTrue(csv.get(1 + 9).startsWith("1,\"meta-init theta\",3,"), csv.get(10));
        assertTrue(csv.get(1 + 18).startsWith("2,\"theta, outer step 10\",3,"), csv.get(19));
        assertTrue(csv.get(1 + 27).startsWith("3,\"theta, outer step 20\",3,"), csv.get(28));
        for (String row : csv.subList(1, csv.size())) {
            String[] f = row.split(",");
            double rough = Double.parseDouble(f[f.length - 1]);
            assertTrue(rough > 0.5 && rough < 1.5, "random-looking filters after 3 steps: " + row);
        }
        BufferedImage img = ImageIO.read(out.resolve("filters.png").toFile());
        assertTrue(img.getWidth() > 200 && img.getHeight() > 4 * 4 * 15, img.getWidth() + "x" + img.getHeight());
        assertEquals("finished", new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(out.resolve("manifest.json").toFile()).get("status").asText());
        String summary = Files.readString(out.resolve("summary.txt"));
        assertTrue(summary.contains("theta, outer step 20"), summary);

        // A folder of run folders is one report page.
        CliRunner.Result page = CliRunner.run("report", "--run-dir", tmp.resolve("results").toString());
        assertEquals(0, page.code(), page.err());
        String html = Files.readString(tmp.resolve("results/report.html"));
        assertTrue(html.contains("filters-stacked/ First-layer filters"), "figure titled by its folder");
        assertTrue(html.contains("<code>filters-stacked/filters.csv</code>"), "its table");
        assertEquals(1, html.split("data:image/png;base64,", -1).length - 1);
    }

    @Test
    void noRuleAndAFolderWithoutThetaFilesAreRefusedWithOneLine() throws Exception {
        CliRunner.Result none = CliRunner.run("filters", "--config", "tiny", "--arch", "6,5,4", "--rule", "none",
                "--steps", "1", "--out", tmp.resolve("a").toString());
        assertEquals(2, none.code(), none.err());
        assertTrue(none.err().contains("--rule none has no filters"), none.err());
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        CliRunner.Result bad = CliRunner.run("filters", "--config", "tiny", "--arch", "6,5,4", "--rule",
                empty.toString(), "--steps", "1", "--out", tmp.resolve("b").toString());
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("neither a theta folder"), bad.err());
        assertEquals(1, bad.err().strip().lines().count(), bad.err());
        assertFalse(Files.exists(tmp.resolve("b/filters.png")), "nothing drawn");
    }
}
