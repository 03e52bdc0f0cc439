package org.metaunsup.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.metaunsup.BadInputException;
import org.metaunsup.io.IoMessages;

/**
 * Reads experiment configs: a built-in name ({@code tiny}, {@code small}, {@code paper}, files
 * under {@code src/main/resources/configs/}) or a path to a {@code .properties} file. A file may
 * start from a built-in with {@code extends = small} and override some keys. Unknown keys,
 * missing keys, malformed values and values that mean nothing are {@link BadInputException}s
 * naming the key (the keys and their rules: {@link ConfigKeys}).
 */
public final class ConfigLoader {

    /** Names of the built-in configs. */
    public static final Set<String> BUILT_IN = Set.of("tiny", "small", "paper");

    private ConfigLoader() {}

    /**
     * @param nameOrPath a built-in name or a path to a properties file
     * @return the resolved config
     */
    public static ExperimentConfig load(String nameOrPath) {
        if (BUILT_IN.contains(nameOrPath)) {
            return resolve(nameOrPath, builtIn(nameOrPath));
        }
        Path p = Path.of(nameOrPath);
        if (!Files.isRegularFile(p)) {
            throw new BadInputException("config '" + nameOrPath + "' is neither a built-in ("
                    + String.join(", ", new TreeSet<>(BUILT_IN)) + ") nor a readable file");
        }
        Map<String, String> own;
        try (Reader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
            own = read(r, p.toString());
        } catch (IOException e) {
            throw new BadInputException("cannot read config " + p + ": " + IoMessages.reason(e));
        }
        Map<String, String> merged = new LinkedHashMap<>();
        String parent = own.remove("extends");
        if (parent != null) {
            if (!BUILT_IN.contains(parent)) {
                throw new BadInputException(p + ": extends must name a built-in config, got '" + parent + "'");
            }
            merged.putAll(builtIn(parent));
        }
        merged.putAll(own);
        return resolve(p.getFileName().toString().replaceFirst("\\.properties$", ""), merged);
    }

    /**
     * Reads a config a run recorded (a run folder's {@code config.properties}): a complete file
     * without {@code extends}, where keys added since it was written take the value their table
     * entry assumes for older records ({@link ConfigKeys#fromRecord}).
     *
     * @param path the recorded file
     * @return the config, named after the file
     */
    public static ExperimentConfig loadRecord(String path) {
        Path p = Path.of(path);
        Map<String, String> own;
        try (Reader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
            own = read(r, p.toString());
        } catch (IOException e) {
            throw new BadInputException("cannot read config " + p + ": " + IoMessages.reason(e));
        }
        if (own.containsKey("extends")) {
            return load(path);
        }
        return ConfigKeys.fromRecord(p.getFileName().toString().replaceFirst("\\.properties$", ""), own);
    }

    private static Map<String, String> builtIn(String name) {
        try (InputStream in = ConfigLoader.class.getResourceAsStream("/configs/" + name + ".properties")) {
            if (in == null) {
                throw new IllegalStateException("built-in config missing from the jar: " + name);
            }
            return read(new InputStreamReader(in, StandardCharsets.UTF_8), name);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> read(Reader r, String source) throws IOException {
        Properties props = new Properties();
        props.load(r);
        Map<String, String> m = new LinkedHashMap<>();
        for (String k : new TreeSet<>(props.stringPropertyNames())) {
            if (!ConfigKeys.names().contains(k) && !k.equals("extends")) {
                throw new BadInputException(source + ": unknown config key '" + k + "'");
            }
            m.put(k, props.getProperty(k).trim());
        }
        return m;
    }

    /**
     * Builds a config from key/value pairs (every key of {@link ConfigKeys} required), checking
     * every value by meaning.
     *
     * @param name config name recorded in the result
     * @param m the keys
     * @return the config
     */
    public static ExperimentConfig resolve(String name, Map<String, String> m) {
        return ConfigKeys.fromProperties(name, m);
    }
}
