package org.metaunsup.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.io.AtomicFiles;
import org.metaunsup.util.BuildInfo;
import org.metaunsup.util.ThreadSettings;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;

/**
 * A run folder: every result sits next to its resolved config ({@code config.properties}) and a
 * manifest ({@code manifest.json}: version, commit, seeds, backend, threads, start time, and
 * whether the run finished). The manifest says {@code "finished": false, "status": "running"}
 * until {@link #finish} records how the run ended ({@code finished}, {@code stopped},
 * {@code diverged} or {@code failed}); a manifest left {@code running} by a process that is gone
 * means the process was killed.
 */
public final class RunFolder {

    /** The manifest's file name; every run folder holds it. */
    public static final String MANIFEST = "manifest.json";

    /** How a run ended, as recorded in the manifest's {@code status}. */
    public enum Status {
        /** Still running, or the process died before it could say. */
        RUNNING,
        /** Completed; every result is there. */
        FINISHED,
        /**
         * Stopped on request (Ctrl-C, SIGTERM) before the end, after writing what it had: partial
         * results, or a checkpoint that {@code --resume} continues.
         */
        STOPPED,
        /** Stopped because a value diverged (see the manifest's {@code error}). */
        DIVERGED,
        /** Stopped by an error (see the manifest's {@code error}). */
        FAILED;

        String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Path dir;
    private final Map<String, Object> manifest;

    private RunFolder(Path dir, Map<String, Object> manifest) {
        this.dir = dir;
        this.manifest = manifest;
    }

    /**
     * Creates the folder and writes the config and manifest from a run's provenance.
     *
     * @param dir folder (created)
     * @param provenance command, config, seeds and fields of the run
     * @return the run folder
     * @throws IOException on write failure
     */
    public static RunFolder create(Path dir, Provenance provenance) throws IOException {
        return create(dir, provenance.command(), provenance.config(), provenance.seeds(), provenance.fields());
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
        m.put("finished", false);
        m.put("status", Status.RUNNING.json());
        m.putAll(extra);
        RunFolder run = new RunFolder(dir, m);
        run.writeManifest();
        return run;
    }

    /**
     * @param dir a run folder
     * @return the config name its manifest records ({@link #create} writes it), if it can be read
     */
    public static Optional<String> recordedConfigName(Path dir) {
        try {
            String n = new ObjectMapper().readTree(dir.resolve(MANIFEST).toFile()).path("config").asText("");
            return n.isBlank() ? Optional.empty() : Optional.of(n);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * @param dir a run folder
     * @return the run seed its manifest records under {@code seeds.run}, if it can be read
     */
    public static OptionalLong recordedRunSeed(Path dir) {
        try {
            JsonNode seed = new ObjectMapper().readTree(dir.resolve(MANIFEST).toFile()).path("seeds").path("run");
            return seed.canConvertToLong() ? OptionalLong.of(seed.asLong()) : OptionalLong.empty();
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Reopens the run folder of an earlier run that is being continued: keeps its manifest (start
     * time, seeds, …), marks it running again and appends one entry to its {@code resumed} list.
     *
     * @param dir the run folder (holds a manifest)
     * @param entry what the continuation records (e.g. the checkpoint it started from)
     * @return the run folder
     * @throws IOException when the manifest cannot be read or written
     */
    @SuppressWarnings("unchecked")
    public static RunFolder resume(Path dir, Map<String, Object> entry) throws IOException {
        Path file = dir.resolve(MANIFEST);
        Map<String, Object> m = Files.isRegularFile(file)
                ? new LinkedHashMap<>(new ObjectMapper().readValue(file.toFile(), Map.class)) : new LinkedHashMap<>();
        List<Object> resumed = new ArrayList<>();
        if (m.get("resumed") instanceof List<?> l) {
            resumed.addAll(l);
        }
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("at", Instant.now().toString());
        e.put("commit", commit());
        e.putAll(entry);
        resumed.add(e);
        m.put("resumed", resumed);
        m.put("finished", false);
        m.put("status", Status.RUNNING.json());
        m.remove("ended");
        m.remove("error");
        RunFolder run = new RunFolder(dir, m);
        run.writeManifest();
        return run;
    }

    /**
     * Sets one manifest field and rewrites the manifest.
     *
     * @param key field
     * @param value its value (JSON-serialisable)
     * @throws IOException on write failure
     */
    public void put(String key, Object value) throws IOException {
        manifest.put(key, value);
        writeManifest();
    }

    /**
     * Records in the manifest how the run ended.
     *
     * @param status how it ended ({@code finished} is true only for {@link Status#FINISHED})
     * @param error one line saying what went wrong, or null
     * @throws IOException on write failure
     */
    public void finish(Status status, String error) throws IOException {
        manifest.put("finished", status == Status.FINISHED);
        manifest.put("status", status.json());
        manifest.put("ended", Instant.now().toString());
        if (error != null) {
            manifest.put("error", error);
        }
        writeManifest();
    }

    private void writeManifest() throws IOException {
        AtomicFiles.writeString(dir.resolve(MANIFEST),
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(manifest) + "\n");
    }

    /** @return the folder */
    public Path dir() {
        return dir;
    }

    /** @return the project version from the jar manifest, or "dev" */
    public static String version() {
        return BuildInfo.version();
    }

    /** @return the commit stamped at build time ({@link org.metaunsup.util.BuildInfo}), or "unknown" */
    public static String commit() {
        return BuildInfo.commit();
    }
}
