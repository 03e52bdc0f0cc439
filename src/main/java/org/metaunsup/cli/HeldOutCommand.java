package org.metaunsup.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.metaunsup.BadInputException;
import org.metaunsup.config.ConfigLoader;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.eval.CurveChart;
import org.metaunsup.eval.RuleSource;
import org.metaunsup.export.ThetaCard;
import org.metaunsup.export.ThetaFile;
import org.metaunsup.io.AtomicFiles;
import org.metaunsup.report.Provenance;
import org.metaunsup.report.RunFolder;
import org.metaunsup.rule.Theta;
import org.metaunsup.train.HeldOutEvaluation;
import org.metaunsup.train.MetricsLog;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code heldout}: measures the θ files of finished meta-training runs again with metatrain's
 * held-out evaluation (validation scripts, MNIST, alphabet test faces; docs/TRAINING.md#run-folder)
 * at a protocol a run cannot afford while it trains: more inner steps, more seeds, more validation
 * tasks. This is how arms of equal training budget are compared (docs/TRAINING.md#equal-budget-arms):
 * the measurement costs nothing of a run's budget. Per run it writes {@code <name>/eval.jsonl},
 * {@code eval.csv} and {@code best.json} (the best θ by validation alone), and for all runs one
 * {@code heldout.csv} (a row per θ with its meta-gradients) and {@code heldout.png} (validation and
 * MNIST accuracy over meta-gradients).
 */
@Command(name = "heldout", mixinStandardHelpOptions = true,
        description = "Re-measures the theta files of meta-training runs (validation scripts, MNIST, alphabet test "
                + "faces) and picks each run's best theta by validation alone.")
final class HeldOutCommand implements Callable<Integer> {

    @Option(names = "--run", description = "a metatrain run folder (repeat to compare runs)")
    List<Path> runs = new ArrayList<>();

    @Option(names = "--theta", description = "a theta file measured on its own, with its card's config (repeat; "
            + "e.g. a shipped or hand-designed theta beside runs)")
    List<Path> thetaFiles = new ArrayList<>();

    @Option(names = "--steps", defaultValue = "300", description = "inner steps before measuring (default: "
            + "${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--seeds", defaultValue = "3", description = "base-model seeds on MNIST and the alphabet test "
            + "faces (default: ${DEFAULT-VALUE})")
    int seeds;

    @Option(names = "--validation-tasks", defaultValue = "4", description = "fixed 10-way validation tasks, task t "
            + "of validation script t mod 4 (default: ${DEFAULT-VALUE})")
    int validationTasks;

    @Option(names = "--every", defaultValue = "1", description = "measure every n-th theta file of a run (the last "
            + "is always measured; default: ${DEFAULT-VALUE})")
    int every;

    @Option(names = "--alphabet", description = "also measure the alphabet test faces (--seeds seeds)")
    boolean alphabet;

    @Option(names = "--no-init", description = "leave out the run's meta-initialised theta (outer step 0)")
    boolean noInit;

    @Option(names = "--query", defaultValue = "2000", description = "held-out query images (default: "
            + "${DEFAULT-VALUE})")
    int query;

    @Option(names = "--draws", defaultValue = "10", description = "support draws per measurement (default: "
            + "${DEFAULT-VALUE})")
    int draws;

    @Option(names = "--out", required = true, description = "output folder (new)")
    Path out;

    /** Columns of {@code heldout.csv}. */
    static final List<String> COLUMNS = List.of("run", "outer_step", "gradients", "validation_ridge_accuracy",
            "validation_ridge_accuracy_se", "validation_meta_loss", "validation_meta_loss_se", "mnist_ridge_accuracy",
            "mnist_ridge_accuracy_se", "mnist_meta_loss", "mnist_init_ridge_accuracy", "alphabet_test_ridge_accuracy");

    /** One run to measure: its folder, config, seed and θ files by outer step. */
    private record Arm(String name, Path dir, ExperimentConfig config, long seed, TreeMap<Long, Path> thetas,
                       Map<Long, Long> gradients) {}

    @Override
    public Integer call() throws Exception {
        if (steps < 1 || seeds < 1 || validationTasks < 1 || every < 1 || query < 1 || draws < 1) {
            throw new BadInputException("--steps, --seeds, --validation-tasks, --every, --query and --draws must be >= 1");
        }
        if (runs.isEmpty() && thetaFiles.isEmpty()) {
            throw new BadInputException("heldout: give at least one --run or --theta");
        }
        List<Arm> arms = new ArrayList<>();
        for (Path r : runs) {
            arms.add(arm(r));
        }
        for (Path f : thetaFiles) {
            arms.add(single(f));
        }
        if (arms.stream().map(Arm::name).distinct().count() < arms.size()) {
            throw new BadInputException("--run: two run folders have the same name; names label the results");
        }
        StudyRun run = StudyRun.check(out, "heldout");
        Provenance.Builder provenance = Provenance.of("heldout", arms.get(0).config())
                .seed("evaluation", HeldOutEvaluation.SEED)
                .field("runs", runs.stream().map(r -> r.toAbsolutePath().toString()).toList())
                .field("theta_files", thetaFiles.stream().map(f -> f.toAbsolutePath().toString()).toList())
                .field("protocol", String.format(Locale.ROOT, "%d inner steps; MNIST and alphabet test faces: %d seeds; "
                        + "validation: %d fixed tasks; %d query, %d support draws", steps, seeds, validationTasks,
                        query, draws));
        int files = arms.stream().mapToInt(a -> a.thetas().size()).sum();
        System.err.printf(Locale.ROOT, "heldout: %d theta files of %d run(s), %d inner steps, %d seeds, %d validation "
                + "tasks%n", files, arms.size(), steps, seeds, validationTasks);
        return run.run(provenance.build(), (dir, stop) -> {
            Map<String, List<Map<String, Object>>> rows = measureAll(arms, dir, stop);
            writeTable(dir, arms, rows);
            boolean complete = rows.entrySet().stream()
                    .allMatch(e -> e.getValue().size() == arms.stream().filter(a -> a.name().equals(e.getKey()))
                            .findFirst().orElseThrow().thetas().size());
            return StudyRun.Ending.of(complete, "stopped early by a signal; the tables hold what was measured");
        });
    }

    /** Each run in its own thread (the evaluation of one θ is single-threaded). */
    private Map<String, List<Map<String, Object>>> measureAll(List<Arm> arms, Path dir, BooleanSupplier stop)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(arms.size(),
                Runtime.getRuntime().availableProcessors()));
        try {
            Map<String, Future<List<Map<String, Object>>>> futures = new LinkedHashMap<>();
            for (Arm a : arms) {
                futures.put(a.name(), pool.submit(() -> measure(a, dir.resolve(a.name()), stop)));
            }
            Map<String, List<Map<String, Object>>> rows = new LinkedHashMap<>();
            for (Map.Entry<String, Future<List<Map<String, Object>>>> e : futures.entrySet()) {
                try {
                    rows.put(e.getKey(), e.getValue().get());
                } catch (ExecutionException ex) {
                    throw ex.getCause() instanceof Exception c ? c : ex;
                }
            }
            return rows;
        } finally {
            pool.shutdownNow();
        }
    }

    private List<Map<String, Object>> measure(Arm a, Path dir, BooleanSupplier stop) throws IOException {
        Files.createDirectories(dir);
        List<Map<String, Object>> rows = new ArrayList<>();
        try (HeldOutEvaluation eval = new HeldOutEvaluation(a.config(), DataType.FLOAT, steps, seeds, validationTasks,
                query, draws)) {
            if (!alphabet) {
                eval.withoutAlphabet();
            }
            eval.open(dir, Map.of());
            for (Map.Entry<Long, Path> e : a.thetas().entrySet()) {
                if (stop.getAsBoolean()) {
                    break;
                }
                long step = e.getKey();
                Theta theta = e.getValue() == null
                        ? RuleSource.random(a.config(), a.config().base().topWidth(), a.seed())
                        : ThetaFile.read(e.getValue()).theta();
                Map<String, Object> row = eval.evaluate(theta, step, 0, stop);
                if (row == null) {
                    break;
                }
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("run", a.name());
                r.put("outer_step", step);
                r.put("gradients", a.gradients().getOrDefault(step, step == 0 ? 0L : -1L));
                for (String c : COLUMNS.subList(3, COLUMNS.size())) {
                    r.put(c, row.get(c));
                }
                rows.add(r);
                System.err.printf(Locale.ROOT, "heldout: %s step %d: validation %.4f ± %.4f, MNIST %.4f ± %.4f (%.0f s)%n",
                        a.name(), step, row.get("validation_ridge_accuracy"), row.get("validation_ridge_accuracy_se"),
                        row.get("mnist_ridge_accuracy"), row.get("mnist_ridge_accuracy_se"), row.get("eval_seconds"));
            }
        }
        return rows;
    }

    /** Reads a run folder: its config, seed, θ files and the meta-gradients applied at each step. */
    private Arm arm(Path dir) throws IOException {
        Path config = dir.resolve("config.properties");
        Path thetaDir = dir.resolve("theta");
        if (!Files.isRegularFile(config) || !Files.isDirectory(thetaDir)) {
            throw new BadInputException("--run " + dir + ": not a metatrain run folder (no config.properties or theta/)");
        }
        // A run of an earlier version lacks the keys added since: read as a record, named as the run was.
        ExperimentConfig r = ConfigLoader.loadRecord(config.toString());
        ExperimentConfig cfg = new ExperimentConfig(RunFolder.recordedConfigName(dir).orElse(r.name()), r.graph(),
                r.task(), r.outer());
        long seed = runSeed(dir);
        TreeMap<Long, Path> all = new TreeMap<>();
        try (Stream<Path> s = Files.list(thetaDir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String n = p.getFileName().toString();
                if (n.matches("step-\\d+\\.theta\\.fb")) {
                    all.put(Long.parseLong(n.substring(5, n.indexOf('.'))), p);
                }
            }
        }
        if (all.isEmpty()) {
            throw new BadInputException("--run " + dir + ": no theta files in " + thetaDir);
        }
        TreeMap<Long, Path> chosen = new TreeMap<>();
        if (!noInit) {
            chosen.put(0L, null);   // the meta-initialised θ of the run's seed
        }
        int i = 0;
        for (Map.Entry<Long, Path> e : all.entrySet()) {
            if (i++ % every == 0 || e.getKey().equals(all.lastKey())) {
                chosen.put(e.getKey(), e.getValue());
            }
        }
        Map<Long, Long> gradients = new LinkedHashMap<>();
        Path metrics = dir.resolve("metrics.jsonl");
        if (Files.isRegularFile(metrics)) {
            for (Map<String, Object> row : MetricsLog.read(metrics).rows()) {
                if (row.get("outer_step") instanceof Number s && row.get("gradients_applied") instanceof Number g) {
                    gradients.put(s.longValue(), g.longValue());
                }
            }
        }
        return new Arm(dir.toAbsolutePath().normalize().getFileName().toString(), dir, cfg, seed, chosen, gradients);
    }

    /** One θ file as an arm of one point: its card's config, outer step and meta-gradients. */
    private static Arm single(Path file) {
        if (!Files.isRegularFile(file) || !file.getFileName().toString().endsWith(ThetaFile.EXTENSION)) {
            throw new BadInputException("--theta " + file + ": no such θ file (*" + ThetaFile.EXTENSION + ")");
        }
        ThetaCard card = ThetaFile.readCard(file);
        ExperimentConfig cfg = card.toConfig();
        String name = file.getFileName().toString().replace(ThetaFile.EXTENSION, "");
        TreeMap<Long, Path> one = new TreeMap<>(Map.of(card.outerStep(), file));
        // Every outer step applies outer.batch finite gradients (docs/TRAINING.md#data-flow).
        Map<Long, Long> gradients = Map.of(card.outerStep(), card.outerStep() * cfg.outer().batch());
        return new Arm(name, file.getParent(), cfg, 0, one, gradients);
    }

    private static long runSeed(Path dir) {
        if (!Files.isRegularFile(dir.resolve(RunFolder.MANIFEST))) {
            throw new BadInputException("--run " + dir + ": no manifest.json");
        }
        return RunFolder.recordedRunSeed(dir).orElseThrow(
                () -> new BadInputException("--run " + dir + ": manifest.json names no run seed"));
    }

    private static void writeTable(Path dir, List<Arm> arms, Map<String, List<Map<String, Object>>> rows)
            throws IOException {
        StringBuilder csv = new StringBuilder(String.join(",", COLUMNS)).append('\n');
        List<CurveChart.Series> validation = new ArrayList<>();
        List<CurveChart.Series> mnist = new ArrayList<>();
        for (Arm a : arms) {
            List<Map<String, Object>> rs = rows.getOrDefault(a.name(), List.of());
            for (Map<String, Object> r : rs) {
                csv.append(String.join(",", COLUMNS.stream().map(c -> String.valueOf(r.get(c))).toList())).append('\n');
            }
            validation.add(series(a.name(), rs, "validation_ridge_accuracy"));
            mnist.add(series(a.name(), rs, "mnist_ridge_accuracy"));
        }
        AtomicFiles.writeString(dir.resolve("heldout.csv"), csv.toString());
        new CurveChart("held-out accuracy over meta-training", "meta-gradients applied")
                .panel("validation scripts 10-shot ridge (chooses theta)", validation)
                .panel("MNIST 10-shot ridge (test)", mnist)
                .writePng(dir.resolve("heldout.png"), 900, 700);
    }

    private static CurveChart.Series series(String name, List<Map<String, Object>> rows, String key) {
        List<Map<String, Object>> known = rows.stream()
                .filter(r -> ((Number) r.get("gradients")).longValue() >= 0).toList();
        double[] x = known.stream().mapToDouble(r -> ((Number) r.get("gradients")).doubleValue()).toArray();
        double[] y = known.stream().mapToDouble(r -> ((Number) r.get(key)).doubleValue()).toArray();
        double[] e = known.stream().mapToDouble(r -> ((Number) r.get(key + "_se")).doubleValue()).toArray();
        return new CurveChart.Series(name, name, x, y, e);
    }
}
