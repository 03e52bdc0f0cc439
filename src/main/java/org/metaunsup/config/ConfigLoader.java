package org.metaunsup.config;

import java.io.IOException;
import java.io.InputStream;
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

/**
 * Reads experiment configs: a built-in name ({@code tiny}, {@code small}, {@code paper}, files
 * under {@code src/main/resources/configs/}) or a path to a {@code .properties} file. A file may
 * start from a built-in with {@code extends = small} and override some keys. Unknown keys,
 * missing keys and malformed values are {@link BadInputException}s naming the key.
 */
public final class ConfigLoader {

    /** Names of the built-in configs. */
    public static final Set<String> BUILT_IN = Set.of("tiny", "small", "paper");

    private static final Set<String> KEYS = Set.of(
            "base.input", "base.hidden", "base.top", "base.activation", "inner.batch", "inner.eta",
            "rule.hidden", "rule.delta", "rule.top_width", "rule.grad_channels", "rule.top_kernel",
            "rule.kernel", "rule.v_shares_w", "objective.classes", "objective.support_per_class",
            "objective.query_per_class", "objective.lambda", "task.hidden_layers", "task.hidden_width",
            "task.inner_steps", "task.truncation", "outer.lr", "outer.clip_norm", "outer.batch");

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
            throw new BadInputException("cannot read config " + p + ": " + org.metaunsup.io.IoMessages.reason(e));
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

    private static Map<String, String> builtIn(String name) {
        try (InputStream in = ConfigLoader.class.getResourceAsStream("/configs/" + name + ".properties")) {
            if (in == null) {
                throw new IllegalStateException("built-in config missing from the jar: " + name);
            }
            return read(new java.io.InputStreamReader(in, StandardCharsets.UTF_8), name);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> read(Reader r, String source) throws IOException {
        Properties props = new Properties();
        props.load(r);
        Map<String, String> m = new LinkedHashMap<>();
        for (String k : new TreeSet<>(props.stringPropertyNames())) {
            if (!KEYS.contains(k) && !k.equals("extends")) {
                throw new BadInputException(source + ": unknown config key '" + k + "'");
            }
            m.put(k, props.getProperty(k).trim());
        }
        return m;
    }

    /**
     * Builds a config from key/value pairs (every key required).
     *
     * @param name config name recorded in the result
     * @param m the keys
     * @return the config
     */
    public static ExperimentConfig resolve(String name, Map<String, String> m) {
        for (String k : KEYS) {
            if (!m.containsKey(k)) {
                throw new BadInputException("config " + name + ": missing key '" + k + "'");
            }
        }
        try {
            String hidden = m.get("base.hidden");
            String[] parts = hidden.isEmpty() ? new String[0] : hidden.split(",");
            int[] widths = new int[parts.length + 2];
            widths[0] = integer(m, "base.input");
            for (int i = 0; i < parts.length; i++) {
                widths[i + 1] = Integer.parseInt(parts[i].trim());
            }
            widths[widths.length - 1] = integer(m, "base.top");
            BaseModelConfig base = new BaseModelConfig(widths, Activation.parse(m.get("base.activation")));
            RuleConfig rule = new RuleConfig(integer(m, "rule.hidden"), integer(m, "rule.delta"),
                    integer(m, "rule.top_width"), integer(m, "rule.grad_channels"),
                    integer(m, "rule.top_kernel"), integer(m, "rule.kernel"), bool(m, "rule.v_shares_w"));
            ObjectiveConfig objective = new ObjectiveConfig(integer(m, "objective.classes"),
                    integer(m, "objective.support_per_class"), integer(m, "objective.query_per_class"),
                    real(m, "objective.lambda"));
            return new ExperimentConfig(name, base, rule, objective, integer(m, "inner.batch"),
                    real(m, "inner.eta"), IntRange.parse("task.hidden_layers", m.get("task.hidden_layers")),
                    IntRange.parse("task.hidden_width", m.get("task.hidden_width")),
                    IntRange.parse("task.inner_steps", m.get("task.inner_steps")),
                    IntRange.parse("task.truncation", m.get("task.truncation")),
                    real(m, "outer.lr"), real(m, "outer.clip_norm"), integer(m, "outer.batch"));
        } catch (BadInputException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new BadInputException("config " + name + ": " + e.getMessage());
        }
    }

    private static int integer(Map<String, String> m, String key) {
        try {
            return Integer.parseInt(m.get(key));
        } catch (NumberFormatException e) {
            throw new BadInputException("config key " + key + ": expected an integer, got '" + m.get(key) + "'");
        }
    }

    private static double real(Map<String, String> m, String key) {
        try {
            double v = Double.parseDouble(m.get(key));
            if (!Double.isFinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new BadInputException("config key " + key + ": expected a number, got '" + m.get(key) + "'");
        }
    }

    private static boolean bool(Map<String, String> m, String key) {
        String v = m.get(key);
        if (v.equals("true") || v.equals("false")) {
            return Boolean.parseBoolean(v);
        }
        throw new BadInputException("config key " + key + ": expected true or false, got '" + v + "'");
    }
}
