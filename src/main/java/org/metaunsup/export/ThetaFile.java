package org.metaunsup.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.metaunsup.BadInputException;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.io.AtomicFiles;
import org.metaunsup.rule.Theta;
import org.metaunsup.util.CustomOps;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A θ file: one SameDiff FlatBuffers file (docs/THETA_FORMAT.md) that holds
 * <ul>
 *   <li>θ as graph VARIABLEs {@code theta/<canonical name>} (names and layouts:
 *   docs/METHOD.md#canonical-names);</li>
 *   <li>the graph of one inner step for the architecture recorded in the card (placeholders
 *       {@code phi/W1 …}, {@code input/perm_matrix}, {@code input/x0}; outputs
 *       {@code unroll/phi/...}), so that plain {@code SameDiff.fromFlatFile} can run the rule;</li>
 *   <li>the card ({@link ThetaCard}) as a UTF-8 JSON byte constant {@code card/json}.</li>
 * </ul>
 * Writing is atomic (temp file in the target folder, then rename), so a reader — or a crash
 * during a meta-training checkpoint — never leaves a half-written file under the final name.
 */
public final class ThetaFile {

    /** Name of the INT8 constant holding the card's UTF-8 JSON. */
    public static final String CARD_VARIABLE = "card/json";
    /** Conventional file name ending. */
    public static final String EXTENSION = ".theta.fb";

    private ThetaFile() {}

    /**
     * What a θ file holds.
     *
     * @param card the card (with architecture, dtype and checksum)
     * @param theta θ, in the stored floating type
     * @param graph the stored graph as loaded (θ variables, one inner step, the card)
     */
    public record Contents(ThetaCard card, Theta theta, SameDiff graph) {}

    /**
     * Writes θ and its card to one file, atomically. Meta-training calls this at every checkpoint.
     *
     * @param file target (parent folders are created; an existing file is replaced)
     * @param theta θ (its floating type is the stored type)
     * @param card the card, e.g. {@link ThetaCard#of}; its rule widths and top width must be θ's
     * @return the card as written (architecture, dtype and checksum filled in)
     * @throws IOException when the file cannot be written (the target is then untouched)
     * @throws IllegalArgumentException when the card does not describe θ
     */
    public static ThetaCard write(Path file, Theta theta, ThetaCard card) throws IOException {
        CustomOps.register();   // the only process-wide thing a library call does
        if (!ThetaCard.FORMAT.equals(card.format()) || card.formatVersion() != ThetaCard.FORMAT_VERSION) {
            throw new IllegalArgumentException("card format " + card.format() + " v" + card.formatVersion()
                    + ", this writer writes " + ThetaCard.FORMAT + " v" + ThetaCard.FORMAT_VERSION);
        }
        if (!card.rule().toConfig().equals(CoreAdapter.rule(theta)) || card.topUnits() != CoreAdapter.topUnits(theta)) {
            throw new IllegalArgumentException("card (" + card.rule() + ", top " + card.topUnits()
                    + ") does not describe this theta (" + CoreAdapter.rule(theta) + ", top "
                    + CoreAdapter.topUnits(theta) + ")");
        }
        ExperimentConfig cfg = card.toConfig();
        if (!cfg.rule().equals(CoreAdapter.rule(theta))) {
            throw new IllegalArgumentException("card's config_properties rule widths differ from its rule field");
        }
        int[] widths = cfg.base().widths();
        widths[widths.length - 1] = card.topUnits();
        BaseModelConfig arch = new BaseModelConfig(widths, cfg.base().activation());
        DataType dtype = CoreAdapter.values(theta).values().iterator().next().dataType();
        ThetaCard full = card.withContent(arch.widths(), dtype.name(), checksum(CoreAdapter.values(theta)));

        SameDiff sd = CoreAdapter.stepGraph(cfg, arch, theta, dtype).sameDiff();
        byte[] json = full.toJson().getBytes(StandardCharsets.UTF_8);
        sd.constant(CARD_VARIABLE, Nd4j.createFromArray(json));

        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            sd.asFlatFile(tmp.toFile());
            AtomicFiles.move(tmp, file);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return full;
    }

    /**
     * Reads and validates a θ file. Every problem is one {@link BadInputException} line naming
     * the file: missing or unreadable, truncated or not a SameDiff FlatBuffers file, a SameDiff
     * file without our card (foreign), an unknown format version, θ tensors missing, of the wrong
     * shape, non-finite, or not matching the card's checksum.
     *
     * @param file the θ file
     * @return card, θ and the stored graph
     */
    public static Contents read(Path file) {
        CustomOps.register();   // the only process-wide thing a library call does
        SameDiff sd = parse(file);
        SDVariable cardVar = sd.hasVariable(CARD_VARIABLE) ? sd.getVariable(CARD_VARIABLE) : null;
        if (cardVar == null || cardVar.getArr() == null) {
            throw new BadInputException(file + ": a SameDiff file but not a MetaUnsup theta file (no "
                    + CARD_VARIABLE + ")");
        }
        ThetaCard card = parseCard(file, cardVar.getArr());
        Map<String, long[]> shapes;
        try {
            shapes = CoreAdapter.thetaShapes(card.rule().toConfig(), card.topUnits());
        } catch (IllegalArgumentException e) {
            throw new BadInputException(file + ": the card's rule widths are invalid: " + e.getMessage());
        }
        Map<String, INDArray> values = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> t : shapes.entrySet()) {
            String name = CoreAdapter.thetaPrefix() + t.getKey();
            INDArray a = sd.hasVariable(name) ? sd.getVariable(name).getArr() : null;
            if (a == null) {
                throw new BadInputException(file + ": theta tensor " + t.getKey() + " missing");
            }
            if (!Arrays.equals(a.shape(), t.getValue())) {
                throw new BadInputException(file + ": " + name + " has shape " + Arrays.toString(a.shape())
                        + ", the card's rule needs " + Arrays.toString(t.getValue()));
            }
            if (a.isNaN().any() || a.isInfinite().any()) {
                throw new BadInputException(file + ": " + name + " holds NaN or infinite values");
            }
            values.put(t.getKey(), a);
        }
        if (card.thetaSha256() != null && !card.thetaSha256().equals(checksum(values))) {
            throw new BadInputException(file + ": theta values do not match the card's checksum (corrupt file)");
        }
        return new Contents(card, CoreAdapter.theta(card.rule().toConfig(), card.topUnits(), values), sd);
    }

    /**
     * Reads only the card (still parses the whole file).
     *
     * @param file the θ file
     * @return its card
     */
    public static ThetaCard readCard(Path file) {
        return read(file).card();
    }

    /**
     * SHA-256 over θ in canonical order: for each tensor its canonical name (UTF-8), its shape
     * and its values in C order as float64 little endian. Independent of the storage type for
     * float32 values (exactly representable as float64).
     *
     * @param values θ by canonical name, canonical order
     * @return hex digest
     */
    public static String checksum(Map<String, INDArray> values) {
        Hasher h = Hashing.sha256().newHasher();
        for (Map.Entry<String, INDArray> e : values.entrySet()) {
            h.putString(e.getKey(), StandardCharsets.UTF_8);
            for (long s : e.getValue().shape()) {
                h.putLong(s);
            }
            for (double d : e.getValue().castTo(DataType.DOUBLE).dup('c').data().asDouble()) {
                h.putDouble(d);
            }
        }
        return h.hash().toString();
    }

    private static SameDiff parse(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(file + ": no such theta file");
        }
        long size;
        int root;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            size = ch.size();
            ByteBuffer head = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            while (head.hasRemaining() && ch.read(head) > 0) {
                // fill
            }
            root = head.position() >= 4 ? head.getInt(0) : -1;
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read theta file: " + e.getMessage());
        }
        // A FlatBuffers file starts with the offset of its root table, which lies inside it.
        if (size < 64 || root < 8 || root >= size) {
            throw new BadInputException(file + ": truncated or not a SameDiff FlatBuffers file ("
                    + size + " bytes)");
        }
        try {
            return SameDiff.fromFlatFile(file.toFile());
        } catch (IOException | RuntimeException | AssertionError | OutOfMemoryError e) {
            // A cut-off file points past its end; garbage may ask for absurd allocations.
            throw new BadInputException(file + ": truncated or not a SameDiff FlatBuffers file ("
                    + e.getClass().getSimpleName() + ")", e);
        }
    }

    private static ThetaCard parseCard(Path file, INDArray bytes) {
        int[] v = bytes.castTo(DataType.INT32).toIntVector();
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        ThetaCard card;
        try {
            card = ThetaCard.fromJson(new String(b, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new BadInputException(file + ": unreadable theta card: " + e.getOriginalMessage(), e);
        }
        if (!ThetaCard.FORMAT.equals(card.format())) {
            throw new BadInputException(file + ": card format is '" + card.format() + "', expected "
                    + ThetaCard.FORMAT);
        }
        if (card.formatVersion() < 1 || card.formatVersion() > ThetaCard.FORMAT_VERSION) {
            throw new BadInputException(file + ": theta format version " + card.formatVersion()
                    + "; this program reads up to " + ThetaCard.FORMAT_VERSION + " (a newer MetaUnsup wrote it)");
        }
        if (card.rule() == null || card.topUnits() < 1 || card.configProperties().isEmpty()) {
            throw new BadInputException(file + ": theta card lacks rule widths, top width or config");
        }
        return card;
    }
}
