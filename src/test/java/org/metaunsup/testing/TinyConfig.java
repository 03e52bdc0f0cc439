package org.metaunsup.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The config file the command-line tests train with: {@code tiny} reduced to a single graph. */
public final class TinyConfig {

    /**
     * {@code tiny} with one architecture and one truncation length: one graph to build (a tiny
     * K = 2 meta-gradient still costs about a second, op overhead).
     */
    public static final String ONE_GRAPH = "extends = tiny\ntask.hidden_layers = 1\ntask.hidden_width = 5\n"
            + "task.truncation = 2\n";

    private TinyConfig() {
    }

    /**
     * @param dir the folder to write {@code t.properties} in
     * @param keys further {@code key = value} lines, each ending in a newline
     * @return the file written
     * @throws IOException when it cannot be written
     */
    public static Path write(Path dir, String keys) throws IOException {
        Path file = dir.resolve("t.properties");
        Files.writeString(file, ONE_GRAPH + keys);
        return file;
    }
}
