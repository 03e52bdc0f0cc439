package org.metaunsup.unroll;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.Op;
import org.nd4j.linalg.api.ops.ScalarOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A folder of built gradient functions, saved as FlatBuffers and loaded instead of rebuilt.
 * nd4j's {@code createGradFunction} costs seconds to minutes for a truncation graph (it grows
 * faster than linearly with the op count: name probing and copying inside nd4j); loading the saved
 * function costs a fraction of that (docs/BENCHMARKS.md, "Saved gradient functions"), and the loaded
 * function gives the same numbers bit for bit ({@code GraphStoreTest}).
 *
 * <p>An entry is keyed by a SHA-256 of everything the gradient function is a function of: the
 * forward graph op by op (op class and name, inputs, outputs, integer, float and boolean
 * arguments, scalars, properties), its variables (names, kinds, types, shapes; constants with their
 * values), its loss variables, the nd4j version, and the bytes of this project's own classes (so
 * that a change of code, say of an op's backward, never meets a function saved by other code).
 * θ values are not part of the key: a graph's θ is copied in per pass.
 *
 * <p>An entry is two files, {@code <key>.fb} and {@code <key>.properties} (its checksum and the
 * names of the gradient variables), each written to a temporary file and renamed, the FlatBuffers
 * file last: a reader sees a whole entry or none. An entry that does not load (a damaged file, a
 * checksum that does not match) is built afresh and written again, with one warning line. Safe to
 * share between threads and processes: two writers of one key write the same function.
 */
public final class GraphStore {

    /** System property naming the folder; {@code none} turns the store off. */
    public static final String PROPERTY = "metaunsup.graph_store";

    /** Environment variable read when the property is not set (child JVMs inherit it). */
    public static final String ENV = "METAUNSUP_GRAPH_STORE";

    private static final String GRAD_FN = "grad";
    private static volatile GraphStore installed;

    private final Path dir;
    private final Consumer<String> warnings;

    private GraphStore(Path dir, Consumer<String> warnings) {
        this.dir = dir;
        this.warnings = warnings;
    }

    /**
     * @param dir the folder (created when the first entry is written)
     * @param warnings receives one line per damaged entry or failed write
     * @return a store in that folder
     */
    public static GraphStore at(Path dir, Consumer<String> warnings) {
        return new GraphStore(Objects.requireNonNull(dir), Objects.requireNonNull(warnings));
    }

    /**
     * @return the folder the command line uses: {@code -Dmetaunsup.graph_store=DIR} (or the
     *     environment's {@code METAUNSUP_GRAPH_STORE}), else {@code $XDG_CACHE_HOME/metaunsup/graphs},
     *     else {@code ~/.cache/metaunsup/graphs}; null when it is {@code none}
     */
    public static Path defaultFolder() {
        String p = System.getProperty(PROPERTY, System.getenv(ENV));
        if (p != null && !p.isBlank()) {
            return "none".equalsIgnoreCase(p.trim()) ? null : Path.of(p.trim());
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("metaunsup").resolve("graphs");
    }

    /**
     * Makes {@code store} the one {@link #installed()} returns. Only the owner of the process (the
     * command line) calls this; nothing is installed otherwise, and then nothing is written anywhere.
     *
     * @param store the store, or null for none
     */
    public static void install(GraphStore store) {
        installed = store;
    }

    /** @return the store installed for this process, or null */
    public static GraphStore installed() {
        return installed;
    }

    /** @return the folder */
    public Path folder() {
        return dir;
    }

    /** What {@link #ensureGradient} did. */
    public enum Outcome {
        /** the graph had its gradient function already */
        PRESENT,
        /** loaded from the store */
        LOADED,
        /** built, and saved for next time */
        BUILT
    }

    /**
     * Gives the graph its gradient function: loaded from the store when an entry for it exists,
     * built and saved otherwise.
     *
     * @param sd a graph with its loss variables set
     * @return what happened
     */
    public Outcome ensureGradient(SameDiff sd) {
        if (sd.getFunction(GRAD_FN) != null) {
            return Outcome.PRESENT;
        }
        String key = key(sd);
        Path fb = dir.resolve(key + ".fb");
        Path meta = dir.resolve(key + ".properties");
        if (Files.isRegularFile(fb)) {
            try {
                load(sd, fb, meta);
                return Outcome.LOADED;
            } catch (IOException | RuntimeException e) {
                warnings.accept("warning: saved gradient function " + fb + " does not load (" + e.getMessage()
                        + "); building it again");
            }
        }
        GradientFunction.ensureBuilt(sd);
        try {
            save(sd, fb, meta);
        } catch (IOException | RuntimeException e) {
            warnings.accept("warning: cannot save the gradient function to " + dir + ": " + e.getMessage());
        }
        return Outcome.BUILT;
    }

    /**
     * Saves the gradient function of a graph that has one (what {@link #ensureGradient} does after
     * a build), replacing an entry of the same key.
     *
     * @param sd a graph whose gradient function is built
     * @throws IOException when the folder cannot be written
     */
    public void put(SameDiff sd) throws IOException {
        if (sd.getFunction(GRAD_FN) == null) {
            throw new IllegalArgumentException("the graph has no gradient function to save");
        }
        String key = key(sd);
        save(sd, dir.resolve(key + ".fb"), dir.resolve(key + ".properties"));
    }

    private void load(SameDiff sd, Path fb, Path meta) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(meta, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        String want = p.getProperty("sha256");
        String got = sha256(fb);
        if (!got.equals(want)) {
            throw new IOException("checksum " + got + " is not the recorded " + want);
        }
        SameDiff grad = SameDiff.fromFlatFile(fb.toFile());
        // The built function shares the forward graph's θ and constant arrays; the loaded one has
        // its own, holding the values of whoever saved it: give it this graph's values (θ copied in
        // later reaches it through UnrollGraph.loadTheta).
        for (SDVariable v : sd.variables()) {
            VariableType t = v.getVariableType();
            if ((t == VariableType.VARIABLE || t == VariableType.CONSTANT) && grad.hasVariable(v.name())) {
                INDArray mine = v.getArr();
                INDArray theirs = grad.getVariable(v.name()).getArr();
                if (mine == null || theirs == null || !Arrays.equals(mine.shape(), theirs.shape())
                        || mine.dataType() != theirs.dataType()) {
                    throw new IOException("variable " + v.name() + " does not match the graph");
                }
                if (theirs != mine) {
                    theirs.assign(mine);
                }
            }
        }
        List<String[]> pairs = new ArrayList<>();
        for (String name : p.stringPropertyNames()) {
            if (name.startsWith("grad.")) {
                String var = name.substring("grad.".length());
                String g = p.getProperty(name);
                if (!sd.hasVariable(var) || !grad.hasVariable(g)) {
                    throw new IOException("gradient " + g + " of " + var + " is not in the graph");
                }
                pairs.add(new String[] {var, g});
            }
        }
        if (pairs.isEmpty()) {
            throw new IOException("no gradient variables recorded");
        }
        // Attached only once everything checked out: a failed load leaves the graph as it was.
        sd.putSubFunction(GRAD_FN, grad);
        for (String[] pair : pairs) {
            sd.setGradientForVariableName(pair[0], grad.getVariable(pair[1]));
        }
    }

    private void save(SameDiff sd, Path fb, Path meta) throws IOException {
        Files.createDirectories(dir);
        SameDiff grad = sd.getFunction(GRAD_FN);
        Properties p = new Properties();
        for (SDVariable v : sd.variables()) {
            SDVariable g = v.getVariableType() == VariableType.ARRAY ? null : gradientOf(sd, v.name());
            if (g != null) {
                p.setProperty("grad." + v.name(), g.name());
            }
        }
        Path tmpFb = Files.createTempFile(dir, fb.getFileName().toString(), ".tmp");
        Path tmpMeta = Files.createTempFile(dir, meta.getFileName().toString(), ".tmp");
        try {
            synchronized (grad) {
                grad.asFlatFile(tmpFb.toFile());
            }
            p.setProperty("sha256", sha256(tmpFb));
            p.setProperty("nd4j", nd4jVersion());
            try (Writer w = Files.newBufferedWriter(tmpMeta, StandardCharsets.UTF_8)) {
                p.store(w, "metaunsup saved gradient function (unroll.GraphStore)");
            }
            move(tmpMeta, meta);
            move(tmpFb, fb);
        } finally {
            Files.deleteIfExists(tmpFb);
            Files.deleteIfExists(tmpMeta);
        }
    }

    private static SDVariable gradientOf(SameDiff sd, String name) {
        try {
            return sd.variableHasGradient(name) ? sd.getVariable(name).getGradient() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * @param sd a forward graph
     * @return the store key of its gradient function (hex SHA-256)
     */
    public static String key(SameDiff sd) {
        MessageDigest md = sha();
        update(md, "nd4j " + nd4jVersion());
        update(md, "code " + CodeHash.VALUE);
        for (SDVariable v : sd.variables()) {
            update(md, "var " + v.name() + " " + v.getVariableType() + " " + v.dataType() + " "
                    + Arrays.toString(v.getShape()));
            if (v.getVariableType() == VariableType.CONSTANT && v.getArr() != null) {
                INDArray a = v.getArr();
                update(md, Arrays.toString(a.shape()) + a.dataType());
                md.update(a.dup('c').data().asBytes());
            }
        }
        for (Map.Entry<String, SameDiffOp> e : sd.getOps().entrySet()) {
            SameDiffOp op = e.getValue();
            DifferentialFunction f = op.getOp();
            StringBuilder s = new StringBuilder("op ").append(e.getKey()).append(' ').append(f.getClass().getName())
                    .append(' ').append(f.opName()).append(" in ").append(op.getInputsToOp())
                    .append(" out ").append(op.getOutputsOfOp()).append(" cd ").append(op.getControlDeps());
            if (f instanceof CustomOp c) {
                s.append(" i").append(Arrays.toString(c.iArgs())).append(" t").append(Arrays.toString(c.tArgs()))
                        .append(" b").append(Arrays.toString(c.bArgs())).append(" d").append(Arrays.toString(c.dArgs()));
            }
            if (f instanceof Op o && o.extraArgs() != null) {
                s.append(" x").append(Arrays.toString(o.extraArgs()));
            }
            if (f instanceof ScalarOp so && so.scalar() != null) {
                s.append(" s").append(so.scalar().dataType()).append(Double.doubleToLongBits(so.scalar().getDouble(0)));
            }
            s.append(" p").append(new TreeMap<>(properties(f)));
            update(md, s.toString());
        }
        update(md, "loss " + sd.getLossVariables());
        return HexFormat.of().formatHex(md.digest());
    }

    private static Map<String, Object> properties(DifferentialFunction f) {
        try {
            Map<String, Object> m = f.propertiesForFunction();
            return m == null ? Map.of() : m;
        } catch (RuntimeException e) {
            // An op that cannot list its properties: its class, name and arguments above still count.
            return Map.of("unlisted", f.getClass().getName());
        }
    }

    private static String nd4jVersion() {
        try (InputStream in = Nd4j.class.getResourceAsStream("/META-INF/maven/org.nd4j/nd4j-api/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "unknown");
            }
        } catch (IOException e) {
            // fall through
        }
        String v = Nd4j.class.getPackage().getImplementationVersion();
        return v == null ? "unknown" : v;
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest md = sha();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void update(MessageDigest md, String s) {
        md.update(s.getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
    }

    /** A SHA-256 of this project's class files (the jar, or every .class under the classes folder), once per JVM. */
    private static final class CodeHash {
        static final String VALUE = compute();

        private static String compute() {
            try {
                Path src = Path.of(GraphStore.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                MessageDigest md = sha();
                if (Files.isDirectory(src)) {
                    List<Path> files;
                    try (Stream<Path> s = Files.walk(src)) {
                        files = s.filter(f -> f.toString().endsWith(".class")).sorted().toList();
                    }
                    for (Path f : files) {
                        update(md, src.relativize(f).toString());
                        md.update(Files.readAllBytes(f));
                    }
                } else {
                    update(md, sha256(src));
                }
                return HexFormat.of().formatHex(md.digest());
            } catch (IOException | URISyntaxException | RuntimeException e) {
                // Unknown code: a key no other JVM shares, so nothing saved by other code is used.
                return "unknown-" + System.nanoTime() + "-" + ProcessHandle.current().pid();
            }
        }
    }

    /** @return the folder's entries (for tests and tools) */
    List<File> entries() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> f.toString().endsWith(".fb")).map(Path::toFile).sorted().toList();
        }
    }
}
