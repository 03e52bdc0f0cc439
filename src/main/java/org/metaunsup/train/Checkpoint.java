package org.metaunsup.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.metaunsup.io.AtomicFiles;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * One consistent snapshot of a meta-training run, taken under the trainer's lock: the learner
 * (θ, Adam moments and step, counters, gradients received but not yet applied), every pool slot's
 * state (task, φ or PES's pairs, t and the counters that are its random streams' positions), the run seed, the
 * wall time so far and the byte lengths of the metrics files at that moment.
 *
 * <p>On disk, in {@code <run>/checkpoints/}: {@code ckpt-<step>-<received>.bin} (the state) and
 * then {@code ckpt-<step>-<received>.json} (its manifest with the state's SHA-256 and length), each
 * written atomically (temp file, fsync, rename, fsync of the folder). A checkpoint counts only
 * when its manifest exists and the state's bytes match it, so a kill at any moment leaves either
 * the previous checkpoints or a complete new one. The last {@link #KEEP} are kept.
 *
 * @param seed run seed
 * @param configDigest SHA-256 of the resolved config text
 * @param learner the learner's state
 * @param workers every pool slot's state, in the order the slots were last handed in (the order a
 *     resumed run serves them)
 * @param wallSeconds wall time of the run so far (over all sessions)
 * @param fileLengths byte length of each metrics file at the snapshot, by file name
 */
public record Checkpoint(long seed, String configDigest, Learner.State learner, List<WorkerState> workers,
                         double wallSeconds, Map<String, Long> fileLengths) {

    /** Checkpoints kept on disk. */
    public static final int KEEP = 2;
    /** The folder of checkpoints inside a run folder. */
    public static final String FOLDER = "checkpoints";

    private static final int MAGIC = 0x4d55434b;   // "MUCK"
    /** Format 2 adds PES pairs to worker states and inner steps to truncations ({@link Codec#FORMAT}). */
    private static final int FORMAT = Codec.FORMAT;

    /**
     * A checkpoint found on disk.
     *
     * @param name file stem, e.g. {@code ckpt-00000010-0000000040}
     * @param checkpoint its contents
     */
    public record Found(String name, Checkpoint checkpoint) {}

    /** @return the state as bytes */
    public byte[] toBytes() {
        return Codec.encode(out -> {
            out.writeInt(MAGIC);
            out.writeInt(FORMAT);
            out.writeLong(seed);
            out.writeUTF(configDigest);
            Codec.doubles(out, learner.theta());
            Codec.doubles(out, learner.m());
            Codec.doubles(out, learner.v());
            out.writeLong(learner.step());
            out.writeLong(learner.received());
            out.writeLong(learner.dropped());
            out.writeLong(learner.applied());
            out.writeInt(learner.pending().size());
            for (Truncation t : learner.pending()) {
                Codec.bytes(out, t.toBytes());
            }
            out.writeInt(workers.size());
            for (WorkerState w : workers) {
                w.write(out);
            }
            out.writeDouble(wallSeconds);
            out.writeInt(fileLengths.size());
            for (Map.Entry<String, Long> e : fileLengths.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeLong(e.getValue());
            }
        });
    }

    /**
     * @param bytes from {@link #toBytes()}
     * @param dtype φ's array type
     * @return the checkpoint
     * @throws IllegalArgumentException when the bytes are not a checkpoint
     */
    public static Checkpoint fromBytes(byte[] bytes, DataType dtype) {
        return Codec.decode(bytes, in -> read(in, dtype));
    }

    private static Checkpoint read(DataInputStream in, DataType dtype) throws IOException {
        if (in.readInt() != MAGIC) {
            throw new IOException("not a checkpoint");
        }
        int format = in.readInt();
        if (format != FORMAT && format != 1) {
            throw new IOException("checkpoint format " + format + ", this version reads 1 and " + FORMAT);
        }
        long seed = in.readLong();
        String digest = in.readUTF();
        double[] theta = Codec.doubles(in);
        double[] m = Codec.doubles(in);
        double[] v = Codec.doubles(in);
        long step = in.readLong();
        long received = in.readLong();
        long dropped = in.readLong();
        long applied = in.readLong();
        int np = in.readInt();
        List<Truncation> pending = new ArrayList<>();
        for (int i = 0; i < np; i++) {
            pending.add(Truncation.fromBytes(Codec.bytes(in), dtype, format));
        }
        int nw = in.readInt();
        List<WorkerState> workers = new ArrayList<>();
        for (int i = 0; i < nw; i++) {
            workers.add(WorkerState.read(in, dtype, format));
        }
        double wall = in.readDouble();
        int nf = in.readInt();
        Map<String, Long> files = new LinkedHashMap<>();
        for (int i = 0; i < nf; i++) {
            files.put(in.readUTF(), in.readLong());
        }
        return new Checkpoint(seed, digest, new Learner.State(theta, m, v, step, received, dropped, applied, pending),
                workers, wall, files);
    }

    /**
     * Writes this checkpoint into {@code <run>/checkpoints/} and removes all but the newest {@link #KEEP}.
     *
     * @param runDir the run folder
     * @return the checkpoint's name
     * @throws IOException on failure (earlier checkpoints are untouched)
     */
    public String write(Path runDir) throws IOException {
        Path dir = runDir.resolve(FOLDER);
        Files.createDirectories(dir);
        String name = String.format("ckpt-%08d-%010d", learner.step(), learner.received());
        byte[] bytes = toBytes();
        AtomicFiles.write(dir.resolve(name + ".bin"), out -> {
            out.write(bytes, 0, bytes.length / 2);
            out.flush();
            FaultPoint.CHECKPOINT_WRITE.reach();   // a test hook: kill -9 inside the write
            out.write(bytes, bytes.length / 2, bytes.length - bytes.length / 2);
        });
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("format", FORMAT);
        manifest.put("state", name + ".bin");
        manifest.put("bytes", bytes.length);
        manifest.put("sha256", sha256(bytes));
        manifest.put("outer_step", learner.step());
        manifest.put("gradients_received", learner.received());
        manifest.put("gradients_applied", learner.applied());
        manifest.put("gradients_dropped", learner.dropped());
        manifest.put("pending_gradients", learner.pending().size());
        manifest.put("workers", workers.size());
        manifest.put("seed", seed);
        manifest.put("config_sha256", configDigest);
        manifest.put("wall_seconds", wallSeconds);
        manifest.put("written", Instant.now().toString());
        AtomicFiles.writeString(dir.resolve(name + ".json"),
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(manifest) + "\n");
        prune(dir);
        return name;
    }

    /**
     * Keeps the newest {@link #KEEP} complete checkpoints; removes older ones, state files without a
     * manifest and temp files of writes that were killed.
     */
    private static void prune(Path dir) throws IOException {
        List<String> names = names(dir);
        for (int i = KEEP; i < names.size(); i++) {
            Files.deleteIfExists(dir.resolve(names.get(i) + ".json"));
            Files.deleteIfExists(dir.resolve(names.get(i) + ".bin"));
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String f = p.getFileName().toString();
                if (f.startsWith(".ckpt-") && f.endsWith(".tmp")) {
                    Files.deleteIfExists(p);
                } else if (f.startsWith("ckpt-") && f.endsWith(".bin")
                        && !names.subList(0, Math.min(KEEP, names.size())).contains(f.substring(0, f.length() - 4))) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Checkpoint names with a manifest, newest first. */
    static List<String> names(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(f -> f.matches("ckpt-\\d{8}-\\d{10}\\.json"))
                    .map(f -> f.substring(0, f.length() - 5))
                    .sorted(Comparator.reverseOrder())
                    .toList();
        }
    }

    /**
     * Names of every checkpoint on disk, complete or not (a state or a manifest file), newest first.
     *
     * @param dir the checkpoints folder
     * @return the names
     * @throws IOException when the folder cannot be listed
     */
    static List<String> stems(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(f -> f.matches("ckpt-\\d{8}-\\d{10}\\.(json|bin)"))
                    .map(f -> f.substring(0, f.lastIndexOf('.')))
                    .distinct()
                    .sorted(Comparator.reverseOrder())
                    .toList();
        }
    }

    /**
     * Finds the newest checkpoint whose state verifies against its manifest.
     *
     * @param runDir the run folder
     * @param dtype φ's array type
     * @param refused told one line for each checkpoint that does not verify (newest first)
     * @return the newest good checkpoint, or null when there is none
     * @throws IOException when the folder cannot be listed
     */
    public static Found newest(Path runDir, DataType dtype, Consumer<String> refused) throws IOException {
        Path dir = runDir.resolve(FOLDER);
        for (String name : stems(dir)) {
            try {
                if (!Files.isRegularFile(dir.resolve(name + ".json"))) {
                    throw new IOException("its manifest " + name + ".json is missing");
                }
                Map<?, ?> manifest = new ObjectMapper().readValue(dir.resolve(name + ".json").toFile(), Map.class);
                Path state = dir.resolve(name + ".bin");
                if (!Files.isRegularFile(state)) {
                    throw new IOException("its state file is missing");
                }
                byte[] bytes = Files.readAllBytes(state);
                Object expect = manifest.get("sha256");
                if (((Number) manifest.get("bytes")).longValue() != bytes.length || !sha256(bytes).equals(expect)) {
                    throw new IOException("its state does not match the SHA-256 in its manifest (damaged)");
                }
                return new Found(name, fromBytes(bytes, dtype));
            } catch (IOException | RuntimeException e) {
                refused.accept("checkpoint " + name + " refused: " + e.getMessage());
            }
        }
        return null;
    }

    /**
     * @param bytes data
     * @return lower-case hex SHA-256
     */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
