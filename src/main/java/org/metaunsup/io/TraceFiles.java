package org.metaunsup.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.metaunsup.BadInputException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * A trace folder (docs/METHOD.md#canonical-names, docs/TRACE_FORMAT.md): one float64 {@code .npy} file per
 * named tensor ({@code theta/h.c0.w} → {@code theta__h.c0.w.npy}) and an {@code index.json}
 * listing {name, file, shape, meaning} plus the run's metadata.
 */
public final class TraceFiles {

    /** One tensor of a trace. */
    public record Entry(String name, INDArray value, String meaning) {}

    private TraceFiles() {}

    /**
     * @param name canonical name
     * @return the file name used for it
     */
    public static String fileName(String name) {
        return name.replace("/", "__") + ".npy";
    }

    /** The file every trace (and θ) folder holds; a folder with it is complete. */
    public static final String INDEX = "index.json";

    /**
     * Writes a trace as a whole ({@link AtomicFolder}): into a fresh folder beside the target,
     * renamed into place when complete, so a folder with an index is complete. An existing
     * target is replaced only if it is empty or a trace folder itself.
     *
     * @param dir target folder
     * @param entries tensors in order
     * @param metadata extra top-level fields of index.json (config, seed, dtype, K, …)
     * @throws IOException on write failure (an {@link org.metaunsup.OutputException})
     */
    public static void write(Path dir, List<Entry> entries, Map<String, Object> metadata) throws IOException {
        try (AtomicFolder out = AtomicFolder.begin(dir, "output folder", INDEX)) {
            writeInto(out.dir(), entries, metadata);
            out.commit();
        }
    }

    private static void writeInto(Path dir, List<Entry> entries, Map<String, Object> metadata) throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        ArrayNode files = root.putArray("files");
        for (Entry e : entries) {
            String file = fileName(e.name());
            // A fresh folder nobody else sees: plain writes, synced by the commit.
            Files.write(dir.resolve(file), Npy.encodeDouble(e.value()));
            ObjectNode f = files.addObject();
            f.put("name", e.name());
            f.put("file", file);
            ArrayNode shape = f.putArray("shape");
            for (long s : e.value().shape()) {
                shape.add(s);
            }
            f.put("meaning", e.meaning());
        }
        for (Map.Entry<String, Object> m : metadata.entrySet()) {
            root.set(m.getKey(), json.valueToTree(m.getValue()));
        }
        Files.writeString(dir.resolve(INDEX), json.writeValueAsString(root) + "\n");
    }

    /**
     * Reads every tensor listed in a trace's index.
     *
     * @param dir trace folder
     * @return tensors by canonical name, in index order
     */
    public static Map<String, INDArray> read(Path dir) {
        JsonNode root = index(dir);
        Path index = dir.resolve(INDEX);
        Map<String, INDArray> out = new LinkedHashMap<>();
        int i = 0;
        for (JsonNode f : root.get("files")) {
            String at = index + ": files[" + i++ + "]";
            if (!f.path("name").isTextual() || !f.path("file").isTextual() || !f.path("shape").isArray()) {
                throw new BadInputException(at + " needs a text \"name\", a text \"file\" and a \"shape\" list");
            }
            String name = f.get("name").asText();
            String fileName = f.get("file").asText();
            Path base = dir.toAbsolutePath().normalize();
            Path file = base.resolve(fileName).normalize();
            if (fileName.isEmpty() || !base.equals(file.getParent())) {
                throw new BadInputException(at + ": file '" + fileName + "' is not a file name inside the trace folder");
            }
            if (out.containsKey(name)) {
                throw new BadInputException(at + ": tensor " + name + " listed twice");
            }
            List<Long> shape = new ArrayList<>();
            for (JsonNode s : f.get("shape")) {
                if (!s.canConvertToLong() || !s.isIntegralNumber() || s.asLong() < 0) {
                    throw new BadInputException(at + ": shape " + f.get("shape") + " is not a list of sizes >= 0");
                }
                shape.add(s.asLong());
            }
            INDArray a = Npy.read(file, DataType.DOUBLE);
            long[] want = shape.stream().mapToLong(Long::longValue).toArray();
            if (!Arrays.equals(a.shape(), want)) {
                throw new BadInputException(file + ": shape "
                        + Arrays.toString(a.shape()) + " but index.json says " + shape);
            }
            out.put(name, a);
        }
        return out;
    }

    /**
     * @param dir trace folder
     * @return the parsed index.json
     */
    public static JsonNode index(Path dir) {
        Path index = dir.resolve("index.json");
        if (!Files.isRegularFile(index)) {
            throw new BadInputException(dir + ": no index.json (not a trace folder)");
        }
        try {
            JsonNode root = new ObjectMapper().readTree(index.toFile());
            if (root == null || !root.has("files") || !root.get("files").isArray()) {
                throw new BadInputException(index + ": no \"files\" list");
            }
            return root;
        } catch (IOException e) {
            throw new BadInputException(index + ": not valid JSON (" + e.getMessage().split("\n")[0] + ")");
        }
    }
}
