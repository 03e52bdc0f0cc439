package org.metaunsup.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.metaunsup.config.ExperimentConfig;

/**
 * What a run folder records about where its results came from, beside what every manifest holds
 * (version, commit, backend, threads, times): the command, the resolved config, the named seeds
 * and the study's own fields, in the order they are written. Immutable; built once per run with
 * {@link #of} so that a command states each field once and {@link RunFolder#create(java.nio.file.Path,
 * Provenance)} writes config and manifest from it.
 *
 * @param command the command that made the run, e.g. {@code evaluate}
 * @param config the resolved config ({@code config.properties})
 * @param seeds named seeds of the run (the manifest's {@code seeds})
 * @param fields further manifest fields, in order
 */
public record Provenance(String command, ExperimentConfig config, Map<String, Object> seeds,
                         Map<String, Object> fields) {

    /** Copies the maps, keeping their order, so that a record never changes after it is built. */
    public Provenance {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(config, "config");
        seeds = Collections.unmodifiableMap(new LinkedHashMap<>(seeds));
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /**
     * @param command the command
     * @param config the resolved config
     * @return a builder with no seeds and no fields yet
     */
    public static Builder of(String command, ExperimentConfig config) {
        return new Builder(command, config);
    }

    /**
     * @param keysAndValues a key, its value, the next key, … (keys are strings)
     * @return a map of them in this order, for a nested manifest field
     */
    public static Map<String, Object> ordered(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values must pair up");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    /** Collects seeds and fields in the order they are given. */
    public static final class Builder {
        private final String command;
        private final ExperimentConfig config;
        private final Map<String, Object> seeds = new LinkedHashMap<>();
        private final Map<String, Object> fields = new LinkedHashMap<>();

        private Builder(String command, ExperimentConfig config) {
            this.command = command;
            this.config = config;
        }

        /**
         * @param name seed name, e.g. {@code run}
         * @param value a seed, a list of seeds or a sentence on how they derive (JSON-serialisable)
         * @return this
         */
        public Builder seed(String name, Object value) {
            seeds.put(name, value);
            return this;
        }

        /**
         * @param name manifest field
         * @param value its value (JSON-serialisable)
         * @return this
         */
        public Builder field(String name, Object value) {
            fields.put(name, value);
            return this;
        }

        /** @return the record */
        public Provenance build() {
            return new Provenance(command, config, seeds, fields);
        }
    }
}
