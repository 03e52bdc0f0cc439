package org.metaunsup.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checkout's folders are found from the jar's place too, so the jar runs from any directory. */
class ProjectFoldersTest {

    @Test
    void workingDirectoryThenBesideAndAboveTheJar() {
        Path cwd = Path.of("/home/u/elsewhere");
        assertEquals(List.of(Path.of("/home/u/elsewhere/models"), Path.of("/home/u/clone/target/models"),
                        Path.of("/home/u/clone/models")),
                ProjectFolders.candidates("models", null, null, cwd, Path.of("/home/u/clone/target/metaunsup.jar")));
        assertEquals(List.of(Path.of("/home/u/clone/models"), Path.of("/home/u/clone/target/models")),
                ProjectFolders.candidates("models", null, null, Path.of("/home/u/clone"),
                        Path.of("/home/u/clone/target/classes")), "no repeats");
        assertEquals(List.of(Path.of("/home/u/elsewhere/models")),
                ProjectFolders.candidates("models", null, null, cwd, null), "code location unknown");
    }

    @Test
    void thePropertyThenTheEnvironmentVariableIsTheOnlyPlace() {
        Path cwd = Path.of("/w");
        Path jar = Path.of("/c/target/metaunsup.jar");
        assertEquals(List.of(Path.of("/w/mine")), ProjectFolders.candidates("models", "mine", "/env", cwd, jar));
        assertEquals(List.of(Path.of("/env")), ProjectFolders.candidates("models", " ", "/env", cwd, jar));
    }

    @Test
    void theTestsRunFromTheClassesFolderOfTheCheckout() {
        Path code = ProjectFolders.codeLocation();
        List<Path> c = ProjectFolders.candidates("models", null, null, Path.of("/nowhere"), code);
        assertEquals(Path.of("").toAbsolutePath().resolve("models"), c.get(c.size() - 1),
                "one level above target/classes: " + c);
    }
}
