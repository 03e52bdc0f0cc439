package org.metaunsup.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.metaunsup.BadInputException;
import org.metaunsup.util.ProjectFolders;

/**
 * Finds the shipped data folder (the one holding {@code mnist/} and {@code alphabet/}).
 *
 * <p>Search order: the system property {@code metaunsup.data}, else the environment
 * variable {@code METAUNSUP_DATA} (either one, when set, is the only place looked at);
 * otherwise {@code ./data} under the working directory, then {@code data/} beside the
 * jar or classes folder and one level above it (so {@code java -jar target/metaunsup.jar}
 * finds {@code data/} of the checkout from anywhere). The data is never inside the jar.
 */
public final class DataLocator {

    /** System property naming the data folder. */
    public static final String PROPERTY = "metaunsup.data";
    /** Environment variable naming the data folder. */
    public static final String ENV = "METAUNSUP_DATA";

    private DataLocator() {}

    /**
     * Resolves a file inside the data folder.
     *
     * @param relative path below the data folder, e.g. {@code mnist/train-labels-idx1-ubyte.gz}
     * @return the existing file
     * @throws BadInputException if no candidate folder holds it (the message lists where it looked)
     */
    public static Path find(String relative) {
        List<Path> tried = new ArrayList<>();
        for (Path dir : candidates()) {
            Path p = dir.resolve(relative);
            if (Files.isRegularFile(p)) {
                return p;
            }
            tried.add(dir);
        }
        throw new BadInputException("data file " + relative + " not found (looked in "
                + String.join(", ", tried.stream().map(Path::toString).toList())
                + "); run from the repository root or set " + ENV + " (or -D" + PROPERTY
                + ") to the folder holding mnist/ and alphabet/");
    }

    /** @return the folders searched, in order ({@link ProjectFolders}) */
    public static List<Path> candidates() {
        return ProjectFolders.candidates("data", PROPERTY, ENV);
    }
}
