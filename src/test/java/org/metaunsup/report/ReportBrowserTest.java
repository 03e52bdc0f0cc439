package org.metaunsup.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metaunsup.cli.Main;

/**
 * The report in a real browser: headless Chromium renders report.html of a tiny evaluation and
 * takes a screenshot, kept in target/ for a person to look at. Skipped where no chromium is
 * installed (Debian: apt-get install -y chromium).
 */
@Tag("slow")
class ReportBrowserTest {

    @TempDir
    Path tmp;

    @Test
    void chromiumRendersTheReportWithItsFigure() throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        assumeTrue(Files.isExecutable(chromium), "chromium not installed");
        Path run = tmp.resolve("run");
        assertEquals(0, Main.run("evaluate", "--config", "tiny", "--rule", "random", "--methods", "rule,none,raw,vae",
                "--arch", "6,5,4", "--steps", "6", "--every", "2", "--seeds", "2", "--query", "100", "--draws", "2",
                "--out", run.toString()));
        assertEquals(0, Main.run("report", "--run-dir", run.toString()));
        Path shot = Path.of("target", "report-screenshot.png").toAbsolutePath();
        Files.deleteIfExists(shot);
        Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--hide-scrollbars", "--window-size=1100,2600", "--screenshot=" + shot,
                run.resolve(HtmlReport.FILE).toUri().toString()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("chromium.log").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium finished");
        BufferedImage img = ImageIO.read(shot.toFile());
        assertEquals(1100, img.getWidth());
        // A rendered page with a chart has many distinct colours; a blank or error page has few.
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                colours.add(img.getRGB(x, y));
            }
        }
        assertTrue(colours.size() > 200, "distinct colours in the screenshot: " + colours.size());
    }
}
