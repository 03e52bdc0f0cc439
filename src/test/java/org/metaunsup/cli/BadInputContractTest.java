package org.metaunsup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.metaunsup.io.Npy;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * The command-line contract under bad input (docs/METHOD.md#command-line, issue 6), one table for every
 * command: each row runs a command in-process on a sandbox folder and asserts the exit code,
 * exactly one line on stderr naming the problem, no stack trace, none of SameDiff's per-op
 * lines on stdout, and the sandbox byte-for-byte as before (nothing left behind, nothing of
 * the user's changed).
 *
 * <p>Tests run as root here and in CI, and root ignores permission bits, so "a folder that
 * cannot be written" is a path under a regular file ({@code afile/out}) and a path under
 * {@code /proc}, which refuses new entries to root too.
 */
class BadInputContractTest {

    /** Prepares the sandbox of one row (after the common files are there). */
    @FunctionalInterface
    interface Prep {
        void in(Path sandbox) throws Exception;
    }

    private static final Prep NONE = sb -> { };
    private static final String LONG = "n".repeat(300);

    static Stream<Arguments> rows() {
        List<Arguments> r = new ArrayList<>();
        // --- usage
        r.add(row("unknown command", "Unmatched argument", NONE, "no-such-command"));
        r.add(row("unknown option", "Unknown option", NONE, "trace", "--no-such-option"));
        r.add(row("data without a subcommand", "data needs a subcommand", NONE, "data"));
        r.add(row("seed not a number", "Invalid value", NONE, "trace", "--seed", "x", "--out", "{sb}/t"));

        // --- demo (every output check happens before data or rule are loaded)
        r.add(row("demo: --out is a file", "exists and is a file", NONE, demo("{sb}/afile")));
        r.add(row("demo: --out under a file", "is a file, not a folder", NONE, demo("{sb}/afile/run")));
        r.add(row("demo: --out under /proc", "cannot write into /proc", NONE, demo("/proc/metaunsup-test/run")));
        r.add(row("demo: --out name too long", "too long", NONE, demo("{sb}/" + LONG)));
        r.add(row("demo: --out a user's folder", "not an earlier output", NONE, demo("{sb}/user-folder")));
        r.add(row("demo: --steps 0", "must be >= 1", NONE, "demo", "--config", "tiny", "--steps", "0",
                "--out", "{sb}/run"));
        r.add(row("demo: unknown config", "neither a built-in", NONE, "demo", "--config", "nope", "--out", "{sb}/run"));
        r.add(row("demo: binary config", "not UTF-8", NONE, "demo", "--config", "{sb}/bin.properties",
                "--out", "{sb}/run"));
        r.add(row("demo: non-finite config value", "inner.eta = 'NaN': must be", sb -> Files.writeString(
                sb.resolve("nan.properties"), "extends = tiny\ninner.eta = NaN\n"), "demo", "--config",
                "{sb}/nan.properties", "--out", "{sb}/run"));
        r.add(row("demo: --rule is a file that is no theta file", "not a SameDiff FlatBuffers file", NONE, "demo", "--config", "tiny", "--rule",
                "{sb}/afile", "--steps", "1", "--out", "{sb}/run"));
        r.add(row("demo: --rule with NaN theta", "NaN or infinite", sb -> {
            copyGolden(sb);
            replace(sb, "theta/W.mix.b", Nd4j.createFromArray(Double.NaN));
        }, "demo", "--config", "tiny", "--rule", "{sb}/trace", "--steps", "1", "--out", "{sb}/run"));
        r.add(row("demo: unknown dataset", "dataset", NONE, "demo", "--config", "tiny", "--rule", "random",
                "--dataset", "nope", "--steps", "1", "--out", "{sb}/run"));
        // No tiny θ ships in models/ (the shipped one is small's), so the default rule of tiny is missing.
        r.add(row("demo: no shipped theta matches the config", "no theta file matching config tiny", NONE, "demo",
                "--config", "tiny", "--steps", "1", "--out", "{sb}/run"));
        r.add(row("features: no shipped theta matches the config", "no theta file matching config tiny", NONE,
                "features", "--config", "tiny", "--dataset", "mnist14", "--steps", "1", "--out", "{sb}/run"));
        r.add(row("evaluate --rule default: no shipped theta matches", "no theta file matching config tiny", NONE,
                "evaluate", "--rule", "default", "--config", "tiny", "--steps", "1", "--every", "1", "--seeds", "1",
                "--out", "{sb}/run"));

        // --- data describe
        r.add(row("describe: unknown dataset", "dataset", NONE, "data", "describe", "--dataset", "nope"));
        r.add(row("describe: idx file not IDX", "not an IDX file", NONE, "data", "describe", "--dataset", "idx:{sb}/afile"));
        r.add(row("describe: idx file missing", "not found", NONE, "data", "describe", "--dataset",
                "idx:{sb}/missing"));
        r.add(row("describe: idx path is a folder", "user-folder", NONE, "data", "describe", "--dataset",
                "idx:{sb}/user-folder"));
        r.add(row("describe: --size 0", "cannot downsample", NONE, "data", "describe", "--dataset", "mnist14",
                "--size", "0"));

        // --- data samples
        r.add(row("samples: --out is a folder", "is a folder", NONE, "data", "samples", "--out", "{sb}/user-folder"));
        r.add(row("samples: --out under a file", "is a file, not a folder", NONE, "data", "samples", "--out",
                "{sb}/afile/s.png"));
        r.add(row("samples: --out under /proc", "cannot write into /proc", NONE, "data", "samples", "--out",
                "/proc/metaunsup-test.png"));
        r.add(row("samples: --out name too long", "too long", NONE, "data", "samples", "--out",
                "{sb}/" + LONG + ".png"));

        // --- data render-alphabet (checks come before any font is looked at)
        r.add(row("render-alphabet: --out is a file", "exists and is a file", NONE, "data", "render-alphabet",
                "--out", "{sb}/afile"));
        r.add(row("render-alphabet: --out a user's folder", "not an earlier output", NONE, "data",
                "render-alphabet", "--out", "{sb}/user-folder"));
        r.add(row("render-alphabet: --out under a file", "is a file, not a folder", NONE, "data",
                "render-alphabet", "--out", "{sb}/afile/alphabet"));
        r.add(row("render-alphabet: --out name too long", "too long", NONE, "data", "render-alphabet",
                "--out", "{sb}/" + LONG));
        r.add(row("render-alphabet: --packages missing", "packages file not found", NONE, "data",
                "render-alphabet", "--out", "{sb}/alphabet", "--packages", "{sb}/missing.txt"));
        r.add(row("render-alphabet: --packages binary", "not UTF-8", NONE, "data", "render-alphabet",
                "--out", "{sb}/alphabet", "--packages", "{sb}/bin.properties"));
        r.add(row("render-alphabet: --hershey-variants 0", "--hershey-variants", NONE, "data", "render-alphabet",
                "--out", "{sb}/alphabet", "--hershey-variants", "0"));

        // --- trace --out
        r.add(row("trace: neither --out nor --verify", "exactly one of", NONE, "trace"));
        r.add(row("trace: both --out and --verify", "exactly one of", NONE, "trace", "--out", "{sb}/t", "--verify",
                "{sb}/t"));
        r.add(row("trace: --out is a file", "exists and is a file", NONE, "trace", "--out", "{sb}/afile"));
        r.add(row("trace: --out under a file", "is a file, not a folder", NONE, "trace", "--out", "{sb}/afile/t"));
        r.add(row("trace: --out under /proc", "cannot write into /proc", NONE, "trace", "--out",
                "/proc/metaunsup-test"));
        r.add(row("trace: --out name too long", "too long", NONE, "trace", "--out", "{sb}/" + LONG));
        r.add(row("trace: --out a user's folder", "not an earlier output", NONE, "trace", "--out",
                "{sb}/user-folder"));
        r.add(row("trace: binary config", "not UTF-8", NONE, "trace", "--config", "{sb}/bin.properties", "--out",
                "{sb}/t"));
        r.add(row("trace: --tolerance NaN", "--tolerance", NONE, "trace", "--verify", "{sb}/t", "--tolerance",
                "NaN"));

        // --- trace --verify: wrong kinds of path, bad index, bad tensors
        r.add(row("verify: folder missing", "no such folder", NONE, "trace", "--verify", "{sb}/missing"));
        r.add(row("verify: a file", "is a file", NONE, "trace", "--verify", "{sb}/afile"));
        r.add(row("verify: folder without index", "no index.json", NONE, "trace", "--verify", "{sb}/user-folder"));
        r.add(verify("verify: index not JSON", "not valid JSON",
                sb -> Files.writeString(sb.resolve("trace/index.json"), "{not json")));
        r.add(verify("verify: index binary", "not valid JSON",
                sb -> Files.write(sb.resolve("trace/index.json"), new byte[] {(byte) 0xff, 0, 1, 2})));
        r.add(verify("verify: index without files", "no \"files\" list",
                sb -> Files.writeString(sb.resolve("trace/index.json"), "{\"config\": \"tiny\"}")));
        r.add(verify("verify: entry without a file", "needs a text", sb -> editIndex(sb, root ->
                ((ObjectNode) root.get("files").get(0)).remove("file"))));
        r.add(verify("verify: entry pointing outside", "not a file name inside", sb -> editIndex(sb, root ->
                ((ObjectNode) root.get("files").get(0)).put("file", "../afile"))));
        r.add(verify("verify: negative size in index", "not a list of sizes", sb -> editIndex(sb, root ->
                ((ArrayNode) root.get("files").get(0).get("shape")).set(0, -1))));
        r.add(verify("verify: missing .npy", "no such file or folder",
                sb -> Files.delete(sb.resolve("trace/input__x0.npy"))));
        r.add(verify("verify: .npy not numpy", "bad magic",
                sb -> Files.writeString(sb.resolve("trace/input__x0.npy"), "hello")));
        r.add(verify("verify: .npy truncated", "data bytes", sb -> {
            Path f = sb.resolve("trace/input__x0.npy");
            byte[] b = Files.readAllBytes(f);
            Files.write(f, Arrays.copyOf(b, b.length - 8));
        }));
        r.add(verify("verify: .npy shape differs from index", "but index.json says",
                sb -> Npy.writeDouble(sb.resolve("trace/input__x0.npy"), Nd4j.zeros(DataType.DOUBLE, 7, 16))));
        r.add(verify("verify: batch the config cannot use", "the config and base model need",
                sb -> replace(sb, "input/x0", Nd4j.rand(DataType.DOUBLE, 7, 16))));
        r.add(verify("verify: theta shape the rule cannot use", "theta/W.mix.w has shape",
                sb -> replace(sb, "theta/W.mix.w", Nd4j.rand(DataType.DOUBLE, 11))));
        r.add(verify("verify: NaN input", "input/x1 holds NaN", sb -> {
            INDArray x = Nd4j.rand(DataType.DOUBLE, 8, 16);
            x.putScalar(3, Double.NaN);
            replace(sb, "input/x1", x);
        }));
        r.add(verify("verify: infinite phi", "phi/W1 holds NaN or infinite", sb -> {
            INDArray w = Nd4j.rand(DataType.DOUBLE, 16, 6);
            w.putScalar(0, Double.POSITIVE_INFINITY);
            replace(sb, "phi/W1", w);
        }));
        r.add(verify("verify: label out of range", "not a class index", sb -> replace(sb, "input/support_y",
                Nd4j.createFromArray(new double[] {0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 7}))));
        r.add(verify("verify: perm not a permutation", "not a permutation", sb -> replace(sb, "input/perm",
                Nd4j.zeros(DataType.DOUBLE, 16))));
        r.add(verify("verify: widths not positive", "must be positive integers", sb -> editIndex(sb, root ->
                ((ObjectNode) root).putArray("widths").add(16).add(0).add(4))));
        r.add(verify("verify: dtype float32", "traces are float64", sb -> editIndex(sb, root ->
                ((ObjectNode) root).put("dtype", "float32"))));
        r.add(row("verify: config of other widths", "the config and base model need", sb -> copyGolden(sb),
                "trace", "--verify", "{sb}/trace", "--config", "small"));

        // --- transfer (every check happens before the run folder is begun)
        r.add(row("transfer: --widths 0", "widths must be positive integers", NONE, transfer("--widths", "0")));
        r.add(row("transfer: --widths with a negative", "--widths -3", NONE, transfer("--widths", "32,-3")));
        r.add(row("transfer: --depths 0", "at least one hidden layer", NONE, transfer("--depths", "1,0")));
        r.add(row("transfer: --widths not a number", "Invalid value", NONE, transfer("--widths", "wide")));
        r.add(row("transfer: --seeds 0", "seeds", NONE, transfer("--seeds", "0")));
        r.add(row("transfer: unknown method", "unknown method 'magic'", NONE, transfer("--methods", "rule,magic")));
        r.add(row("transfer: --rule none", "needs a rule", NONE, "transfer", "--rule", "none", "--config", "tiny",
                "--steps", "1", "--seeds", "1", "--out", "{sb}/run"));
        r.add(row("transfer: theta file of other rule widths", "differ from the config's", NONE, "transfer",
                "--rule", goldenTheta(), "--config", "small", "--steps", "1", "--seeds", "1", "--out", "{sb}/run"));
        r.add(row("evaluate: theta file of another inner step size", "meta-trained with inner.eta", sb -> Files.writeString(
                sb.resolve("eta.properties"), "extends = tiny\ninner.eta = 0.5\n"), "evaluate", "--rule", goldenTheta(),
                "--config", "{sb}/eta.properties", "--dataset", "mnist7", "--steps", "1", "--seeds", "1",
                "--out", "{sb}/run"));
        r.add(row("transfer: --out under a file", "is a file, not a folder", NONE, transfer("--out", "{sb}/afile/run")));
        r.add(row("transfer: --out a user's folder", "not an earlier output", NONE,
                transfer("--out", "{sb}/user-folder")));
        r.add(row("transfer: without --steps", "--steps", NONE, "transfer", "--rule", "random", "--seeds", "1",
                "--out", "{sb}/run"));

        // --- bench (every check happens before the GEMM peak is measured)
        r.add(row("bench: --json is a folder", "is a folder", NONE, bench("{sb}/user-folder")));
        r.add(row("bench: --json under a file", "is a file, not a folder", NONE, bench("{sb}/afile/b.json")));
        r.add(row("bench: --json under /proc", "cannot write into /proc", NONE, bench("/proc/metaunsup-test.json")));
        r.add(row("bench: --json name too long", "too long", NONE, bench("{sb}/" + LONG + ".json")));
        r.add(row("bench: --steps 0", "must be >= 1", NONE, "bench", "--config", "tiny", "--steps", "0"));
        r.add(row("bench: --dtype int8", "--dtype", NONE, "bench", "--config", "tiny", "--dtype", "int8"));
        r.add(row("bench: --graph-cache 0", "--graph-cache", NONE, "bench", "--config", "tiny", "--graph-cache", "0"));
        r.add(row("bench: --grid 0", "--grid must be >= 1", NONE, "bench", "--config", "tiny", "--grid", "0"));
        r.add(row("bench: binary config", "not UTF-8", NONE, "bench", "--config", "{sb}/bin.properties"));

        // --- invariance (every check happens before data or rule are loaded)
        r.add(row("invariance: --permutations 0", "--permutations must be >= 1", NONE, invariance("--permutations", "0")));
        r.add(row("invariance: --steps 0", "--steps must be >= 1", NONE, invariance("--steps", "0")));
        r.add(row("invariance: --seeds 1", "--seeds must be >= 2", NONE, invariance("--seeds", "1")));
        r.add(row("invariance: --rule none", "needs a rule", NONE, "invariance", "--rule", "none", "--config", "tiny",
                "--out", "{sb}/run"));
        r.add(row("invariance: --out is a file", "exists and is a file", NONE, "invariance", "--rule", "random",
                "--config", "tiny", "--out", "{sb}/afile"));
        return r.stream();
    }

    /** A tiny invariance run with one option set to a bad value (the others valid). */
    private static String[] invariance(String option, String value) {
        Map<String, String> opts = new LinkedHashMap<>(Map.of("--permutations", "1",
                "--steps", "1", "--seeds", "2"));
        opts.put(option, value);
        List<String> a = new ArrayList<>(List.of("invariance", "--rule", "random", "--config", "tiny"));
        opts.forEach((k, v) -> a.addAll(List.of(k, v)));
        a.addAll(List.of("--out", "{sb}/run"));
        return a.toArray(String[]::new);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void exitTwoWithOneLineAndNothingWritten(String name, String fragment, Prep prep, List<String> args,
                                             @TempDir Path sb) throws Exception {
        Files.writeString(sb.resolve("afile"), "the user's file\n");
        Files.writeString(sb.resolve("victim.png.tmp"), "the user's other file\n");
        Files.createDirectories(sb.resolve("user-folder"));
        Files.writeString(sb.resolve("user-folder/notes.txt"), "the user's notes\n");
        Files.write(sb.resolve("bin.properties"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, (byte) 0x80, 10});
        prep.in(sb);
        Map<String, String> before = snapshot(sb);

        CliRunner.Result r = CliRunner.run(args.stream().map(a -> a.replace("{sb}", sb.toString()))
                .toArray(String[]::new));

        assertContract(r, 2, fragment);
        assertEquals(before, snapshot(sb), "the sandbox changed");
    }

    /** Exit code, one line on stderr containing the fragment, no stack trace, no per-op lines. */
    static void assertContract(CliRunner.Result r, int code, String fragment) {
        List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(code, r.code(), r.err());
        assertEquals(1, lines.size(), "stderr should be one line:\n" + r.err());
        assertTrue(lines.get(0).contains(fragment), lines.get(0));
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), r.err());
        assertFalse(r.out().contains(Logging.DIFF_OP_LINE), "SameDiff's per-op lines on stdout");
    }

    private static Arguments row(String name, String fragment, Prep prep, String... args) {
        return Arguments.of(name, fragment, prep, List.of(args));
    }

    private static Arguments verify(String name, String fragment, Prep mutation) {
        return row(name, fragment, sb -> {
            copyGolden(sb);
            mutation.in(sb);
        }, "trace", "--verify", "{sb}/trace");
    }

    private static String[] demo(String out) {
        return new String[] {"demo", "--config", "tiny", "--rule", "random", "--steps", "1", "--seeds", "1", "--out", out};
    }

    /** A tiny transfer study into {sb}/run with one option replaced or added. */
    private static String[] transfer(String option, String value) {
        Map<String, String> o = new LinkedHashMap<>(Map.of("--rule", "random", "--config", "tiny",
                "--widths", "6", "--depths", "1", "--steps", "1", "--seeds", "1", "--out", "{sb}/run"));
        o.put(option, value);
        List<String> args = new ArrayList<>(List.of("transfer"));
        o.forEach((k, v) -> {
            args.add(k);
            args.add(v);
        });
        return args.toArray(String[]::new);
    }

    /** The committed θ file (tiny rule widths). */
    private static String goldenTheta() {
        try {
            return Path.of(BadInputContractTest.class.getResource("/golden/theta-tiny/rule.theta.fb").toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String[] bench(String json) {
        return new String[] {"bench", "--config", "tiny", "--steps", "1", "--inner-repeats", "1", "--grad-repeats",
            "1", "--json", json};
    }

    /** The committed golden trace (tiny, seed 1) as {@code sandbox/trace}. */
    static void copyGolden(Path sb) throws Exception {
        Path golden = Path.of(BadInputContractTest.class.getResource("/golden/trace-tiny-seed1/index.json").toURI())
                .getParent();
        Path dst = Files.createDirectories(sb.resolve("trace"));
        try (Stream<Path> files = Files.list(golden)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, dst.resolve(f.getFileName()));
            }
        }
    }

    /** Replaces one tensor of sandbox/trace, its .npy and its shape in the index agreeing. */
    static void replace(Path sb, String name, INDArray value) throws Exception {
        Npy.writeDouble(sb.resolve("trace/" + name.replace("/", "__") + ".npy"), value);
        editIndex(sb, root -> {
            for (JsonNode f : root.get("files")) {
                if (f.get("name").asText().equals(name)) {
                    ArrayNode shape = ((ObjectNode) f).putArray("shape");
                    for (long s : value.shape()) {
                        shape.add(s);
                    }
                }
            }
        });
    }

    interface IndexEdit {
        void apply(JsonNode root);
    }

    static void editIndex(Path sb, IndexEdit edit) throws IOException {
        Path index = sb.resolve("trace/index.json");
        ObjectMapper json = new ObjectMapper();
        JsonNode root = json.readTree(index.toFile());
        edit.apply(root);
        Files.writeString(index, json.writeValueAsString(root));
    }

    /** Every path under the folder with its content hash (folders as "dir"). */
    static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.forEach(p -> {
                String rel = dir.relativize(p).toString();
                try {
                    m.put(rel, Files.isDirectory(p) ? "dir" : HexFormat.of().formatHex(
                            MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        return m;
    }

}
