package org.metaunsup.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run folder damaged after the fact (a binary table or summary, a broken {@code figures.json},
 * an index that names a missing image or a file outside the folder) still gets its page; what is
 * left out is said, once each.
 */
class HtmlReportDamageTest {

    @TempDir
    Path dir;

    @Test
    void damagedFilesAreLeftOutAndSaid() throws Exception {
        Files.writeString(dir.resolve("manifest.json"), "{\"command\": \"evaluate\", \"version\": \"t\"}\n");
        Files.writeString(dir.resolve("config.properties"), "a = 1\n");
        Files.writeString(dir.resolve("curves.csv"), "step,value\n1,0.5\n");
        Files.write(dir.resolve("curves.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        Files.write(dir.resolve("points.csv"), new byte[] {'a', 0, (byte) 0xff, 1});
        Files.write(dir.resolve("summary.txt"), new byte[] {(byte) 0xc3, 0x28});
        Files.writeString(dir.resolve(FigureIndex.FILE), "{\"figures\": [{\"image\": \"curv");
        List<String> warnings = new ArrayList<>();
        Path page = HtmlReport.write(dir, warnings::add);
        String html = Files.readString(page);
        assertTrue(html.contains("data:image/png;base64,"), "the figure is on the page");
        assertTrue(html.contains("<td>0.5</td>"), "the good table is on the page");
        assertTrue(html.contains("(not a text table: left out)"));
        assertTrue(html.contains("(missing or not text: left out)"));
        assertEquals(3, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("figures.json: damaged"), warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("summary.txt")), warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("points.csv")), warnings.toString());
    }

    @Test
    void anIndexNamingMissingOrOutsideFilesIsLeftOut() throws Exception {
        Files.writeString(dir.resolve("manifest.json"), "{\"command\": \"evaluate\"}\n");
        Files.writeString(dir.resolve(FigureIndex.FILE), "{\"figures\": [{\"image\": \"gone.png\", \"table\": "
                + "\"../../etc/passwd\"}], \"tables\": [{\"table\": \"../secret.csv\"}], \"texts\": [\"/etc/hostname\"]}");
        List<String> warnings = new ArrayList<>();
        String html = Files.readString(HtmlReport.write(dir, warnings::add));
        assertTrue(!html.contains("root:"), "nothing outside the folder is read");
        assertEquals(3, warnings.size(), warnings.toString());
    }
}
