package org.metaunsup.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One run folder through many faults at seeded moments (docs/RELIABILITY.md): each session is killed
 * with SIGKILL, either at a random time after its start or at a random arrival of a random
 * {@link FaultPoint}, sometimes through its launcher (two JVMs, only the launcher killed), then
 * resumed; after the last fault a resume reaches the target with {@link RunChild#assertIntact}.
 * The counts go to {@code target/fault-injections.txt}.
 *
 * <p>{@code mvn -Pcpu,slow test -Dtest=FaultInjectionLoopTest} ({@code -Dmetaunsup.faults=N}
 * injections, default 40; {@code -Dmetaunsup.faults.seed=S}).
 */
@Tag("slow")
class FaultInjectionLoopTest {

    @TempDir
    Path tmp;

    @Test
    void resumesIntactAfterManySeededKills() throws Exception {
        int faults = Integer.getInteger("metaunsup.faults", 40);
        long seed = Long.getLong("metaunsup.faults.seed", 17);
        long target = 2L * faults + 20;
        Random rnd = new Random(seed);
        Path dir = tmp.resolve("run");
        Path config = RunChild.config(dir);
        Map<String, Integer> survived = new TreeMap<>();
        List<String> sessions = new ArrayList<>();
        FaultPoint[] points = FaultPoint.values();
        for (int i = 0; i < faults; i++) {
            boolean resume = Files.exists(dir.resolve(MetaTrainer.CONFIG_FILE));
            boolean timed = rnd.nextBoolean();
            boolean launcher = rnd.nextInt(4) == 0;
            FaultPoint point = points[rnd.nextInt(points.length)];
            // One graph per session in this config: only its first build can be paused at.
            int n = point == FaultPoint.GRAPH_BUILD ? 1 : 1 + rnd.nextInt(3);
            long delayMillis = 500 + rnd.nextInt(9_000);
            Path marker = tmp.resolve("paused-" + i);
            String fault = timed ? null : point.spec(n, marker);
            RunChild p = RunChild.start(dir, config, target, resume, fault, launcher, 2,
                    tmp.resolve("session-" + i + ".log"));
            String kind;
            if (timed) {
                long end = System.currentTimeMillis() + delayMillis;
                while (System.currentTimeMillis() < end && p.process.isAlive()) {
                    Thread.sleep(20);
                }
                kind = "kill -9 at a random time";
            } else {
                long end = System.currentTimeMillis() + 60_000;
                while (!Files.exists(marker) && p.process.isAlive() && System.currentTimeMillis() < end) {
                    Thread.sleep(20);
                }
                kind = "kill -9 at " + point.key() + (Files.exists(marker) ? "" : " (not reached: at 60 s)");
            }
            if (!p.process.isAlive()) {
                String out = p.output();
                assertEquals(0, p.process.exitValue(), "session " + i + " failed on its own:\n" + out);
                break;   // reached the target before the fault
            }
            if (launcher) {
                List<ProcessHandle> children = p.process.descendants().toList();
                p.process.destroyForcibly().waitFor();
                for (ProcessHandle c : children) {
                    c.onExit().get(10, TimeUnit.SECONDS);
                }
                kind += ", launcher only";
            } else {
                p.killAll();
            }
            survived.merge(kind, 1, Integer::sum);
            sessions.add(i + ": " + kind + (timed ? " (" + delayMillis + " ms)" : " (arrival " + n + ")"));
        }
        RunChild last = RunChild.start(dir, config, target, Files.exists(dir.resolve(MetaTrainer.CONFIG_FILE)), null,
                false, 2, tmp.resolve("last.log"));
        assertEquals(0, last.finish(), last.output());
        RunChild.assertIntact(dir, target);
        int total = survived.values().stream().mapToInt(Integer::intValue).sum();
        assertTrue(total >= faults / 2, "most sessions were killed before the target: " + sessions);
        StringBuilder report = new StringBuilder("seed " + seed + ", target outer step " + target + ", " + total
                + " injections survived\n");
        survived.forEach((k, v) -> report.append(v).append("  ").append(k).append('\n'));
        sessions.forEach(s -> report.append("  session ").append(s).append('\n'));
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "fault-injections.txt"), report.toString());
        System.out.print(report);
    }
}
