package org.metaunsup.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.metaunsup.BadInputException;
import org.metaunsup.config.ConfigLoader;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.io.OutputPaths;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Starting or continuing a run folder (docs/TRAINING.md, "Checkpoints"): which folders may be
 * started or resumed, that a resumed run keeps its config and seed, which checkpoint it continues
 * from (newest first; every refusal said in one line), and the repairs after a kill: temp files of
 * killed writes removed, θ files of the killed session's later steps removed, the θ file of the
 * checkpoint written again when it is missing.
 */
final class RunResume {

    /** Temp files of atomic writes ({@code .<name>.<hex>.tmp}) that a kill left behind. */
    private static final Pattern TEMP_FILE = Pattern.compile("\\..+\\.[0-9a-f]+\\.tmp");
    private static final Pattern THETA_STEP = Pattern.compile("step-(\\d{8})(\\.theta\\.fb|\\.json)");

    private RunResume() {}

    /** @return whether the folder holds a meta-training run (a config or checkpoints) */
    static boolean hasRun(Path dir) {
        return Files.isRegularFile(dir.resolve(MetaTrainer.CONFIG_FILE))
                || Files.isDirectory(dir.resolve(Checkpoint.FOLDER));
    }

    /**
     * Before the lock: a new run needs a new, empty or only-leftover folder (created here); a
     * resumed one a folder that holds a run.
     *
     * @param dir the run folder
     * @param resume whether the run is resumed
     * @throws BadInputException naming the problem
     * @throws IOException when the folder cannot be created
     */
    static void checkFolder(Path dir, boolean resume) throws IOException {
        boolean hasRun = hasRun(dir);
        if (resume && !hasRun) {
            throw new BadInputException("--resume: " + dir + " holds no meta-training run (no "
                    + MetaTrainer.CONFIG_FILE + ")");
        }
        if (!resume) {
            if (hasRun) {
                throw new BadInputException("--run-dir " + dir + " already holds a meta-training run; add --resume to "
                        + "continue it, or choose a new folder");
            }
            // A run killed before it wrote its config leaves only its lock file (and perhaps a temp
            // file): that folder starts afresh like an empty one.
            OutputPaths.folder(dir, "--run-dir", onlyLeftovers(dir) ? null : MetaTrainer.CONFIG_FILE);
            Files.createDirectories(dir);
        }
    }

    /** True for a folder that holds nothing but a lock file and temp files of killed writes. */
    private static boolean onlyLeftovers(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString())
                    .allMatch(n -> n.equals(RunLock.FILE) || TEMP_FILE.matcher(n).matches());
        }
    }

    /**
     * A resumed run given {@code --config} must have been started with the same resolved config.
     *
     * @param runDir the run folder
     * @param config the config now
     * @param option how the user named it ({@code --config} value)
     * @throws BadInputException naming the first key that differs
     */
    static void checkSameConfig(Path runDir, ExperimentConfig config, String option) {
        Path stored = runDir.resolve(MetaTrainer.CONFIG_FILE);
        if (!Files.isRegularFile(stored)) {
            return;
        }
        Map<String, String> before = ConfigLoader.loadRecord(stored.toString()).toProperties();
        for (Map.Entry<String, String> e : config.toProperties().entrySet()) {
            if (!e.getValue().equals(before.get(e.getKey()))) {
                throw new BadInputException("--resume: run folder " + runDir + " was started with another config ("
                        + e.getKey() + " = " + before.get(e.getKey()) + ", --config " + option + " has "
                        + e.getValue() + ")");
            }
        }
    }

    /**
     * The checkpoint a resume continues from.
     *
     * @param dir the run folder
     * @param dtype φ's floating type
     * @param digest SHA-256 of the resolved config text
     * @param seed {@code --seed}, or null
     * @param say told each refusal and the choice
     * @return the newest checkpoint that verifies, or null when the run has none yet
     * @throws BadInputException when checkpoints exist and none verifies, or config or seed differ
     * @throws IOException when the folder cannot be listed
     */
    static Checkpoint.Found choose(Path dir, DataType dtype, String digest, Long seed, Consumer<String> say)
            throws IOException {
        List<String> refusals = new ArrayList<>();
        Checkpoint.Found found = Checkpoint.newest(dir, dtype, line -> {
            refusals.add(line);
            say.accept(line);
        });
        if (found == null) {
            if (!Checkpoint.stems(dir.resolve(Checkpoint.FOLDER)).isEmpty()) {
                throw new BadInputException("--resume: no checkpoint in " + dir.resolve(Checkpoint.FOLDER) + " verifies ("
                        + String.join("; ", refusals) + "); nothing to continue from, nothing changed");
            }
            say.accept("no checkpoint yet in " + dir + ": starting at outer step 0");
            return null;
        }
        Checkpoint ck = found.checkpoint();
        if (!ck.configDigest().equals(digest)) {
            throw new BadInputException("--resume: checkpoint " + found.name() + " was written with another config "
                    + "than " + dir.resolve(MetaTrainer.CONFIG_FILE));
        }
        if (seed != null && seed != ck.seed()) {
            throw new BadInputException("--resume: the run's seed is " + ck.seed() + ", --seed " + seed + " differs");
        }
        say.accept("resuming from checkpoint " + found.name() + " (outer step " + ck.learner().step() + ")");
        return found;
    }

    /**
     * The repairs after a kill: temp files of killed writes in the run folder and {@code theta/}
     * removed; θ files of steps after the checkpoint (the killed session's timeline, computed again
     * now) removed.
     *
     * @param dir the run folder
     * @param step the outer step resumed from (0: none)
     * @param say told each θ file removed
     * @return whether the θ file of {@code step} (or its card) is missing and must be written again
     * @throws IOException on failure
     */
    static boolean tidy(Path dir, long step, Consumer<String> say) throws IOException {
        removeTempFiles(dir);
        Path thetaDir = dir.resolve(MetaTrainer.THETA_FOLDER);
        removeTempFiles(thetaDir);
        if (Files.isDirectory(thetaDir)) {
            try (var files = Files.list(thetaDir)) {
                for (Path f : files.toList()) {
                    Matcher m = THETA_STEP.matcher(f.getFileName().toString());
                    if (m.matches() && Long.parseLong(m.group(1)) > step) {
                        Files.delete(f);
                        say.accept("removed " + f.getFileName() + " (after the checkpoint resumed from)");
                    }
                }
            }
        }
        String stem = ThetaExport.stem(step);
        return step > 0 && (!Files.isRegularFile(thetaDir.resolve(stem + ThetaExport.EXTENSION))
                || !Files.isRegularFile(thetaDir.resolve(stem + ".json")));
    }

    private static void removeTempFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                if (Files.isRegularFile(f) && TEMP_FILE.matcher(f.getFileName().toString()).matches()) {
                    Files.delete(f);
                }
            }
        }
    }
}
