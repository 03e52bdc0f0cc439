package org.metaunsup.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metaunsup.testing.FreshJvm;

/**
 * The library leaves the user's process alone: in a fresh JVM that chose its own nd4j thread
 * counts, loading a θ through {@link LearnedRule#load} and training with it keeps those counts,
 * installs no runtime policy and never swaps {@code System.out} (only our ops get registered).
 */
class LibraryLeavesProcessFreshJvmTest {

    @Test
    void loadingAndTrainingKeepsTheUsersThreadsPolicyAndStdout(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("rule.theta.fb");
        ThetaFile.write(file, ExportFixture.theta(21), ExportFixture.card(12));

        FreshJvm.Result r = FreshJvm.runMain(ProcessUntouchedProbe.class, file.toString());

        assertEquals(0, r.exitCode(), "probe failed:\n" + r.output());
        String before = line(r.output(), "before: ");
        String after = line(r.output(), "after: ");
        assertTrue(before.contains("blas=" + ProcessUntouchedProbe.BLAS), "the user's BLAS threads took: " + before);
        assertTrue(before.endsWith("policy=none out=same"), before);
        assertEquals(before + " features=20", after, "the library changed the process:\n" + r.output());
    }

    private static String line(String output, String prefix) {
        return output.lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length()))
                .findFirst().orElseThrow(() -> new AssertionError("no \"" + prefix + "\" line in:\n" + output));
    }
}
