package org.metaunsup.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.io.AtomicFiles;
import org.metaunsup.util.ThreadSettings;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;

/**
 * A run folder: every result sits next to its resolved config ({@code config.properties}) and a
 * manifest ({@code manifest.json}: version, commit, seeds, backend, threads, start time).
 */
public final class RunFolder {

    private final Path dir;

    private RunFolder(Path dir) {
        this.dir = dir;
    }

    /**
     * Creates the folder and writes the config and manifest.
     *
     * @param dir folder (created)
     * @param command the command that made it
     * @param cfg resolved config
     * @param seeds named seeds of the run
     * @param extra more manifest fields
     * @return the run folder
     * @throws IOException on write failure
     */
    public static RunFolder create(Path dir, String command, ExperimentConfig cfg, Map<String, Object> seeds,
                                   Map<String, Object> extra) throws IOException {
        Files.createDirectories(dir);
        StringBuilder props = new StringBuilder("# resolved config of this run (" + cfg.name() + ")\n");
        cfg.toProperties().forEach((k, v) -> props.append(k).append(" = ").append(v).append('\n'));
        AtomicFiles.writeString(dir.resolve("config.properties"), props.toString());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", command);
        m.put("version", version());
        m.put("commit", commit());
        m.put("config", cfg.name());
        m.put("seeds", seeds);
        m.put("backend", Nd4j.getBackend().getClass().getSimpleName());
        m.put("threads", ThreadSettings.describe());
        m.put("java", System.getProperty("java.version"));
        m.put("started", Instant.now().toString());
        m.putAll(extra);
        AtomicFiles.writeString(dir.resolve("manifest.json"),
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m) + "\n");
        return new RunFolder(dir);
    }

    /** @return the folder */
    public Path dir() {
        return dir;
    }

    /** @return the project version from the jar manifest, or "dev" */
    public static String version() {
        return org.metaunsup.util.BuildInfo.version();
    }

    /** @return the commit stamped at build time ({@link org.metaunsup.util.BuildInfo}), or "unknown" */
    public static String commit() {
        return org.metaunsup.util.BuildInfo.commit();
    }
}
