package org.metaunsup.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.metaunsup.BadInputException;
import org.metaunsup.bench.Bench;
import org.metaunsup.bench.EstimatorQuality;
import org.metaunsup.bench.GraphCacheBench;
import org.metaunsup.bench.GridBench;
import org.metaunsup.config.ConfigLoader;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.io.AtomicFiles;
import org.metaunsup.io.OutputPaths;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench}: what the graphs cost on this machine. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Build time, op counts, ms per inner step and per K-step meta-gradient (first and "
                + "steady), the forward estimators' perturbed inner steps per second and estimates per minute, "
                + "peak RSS and GFLOP/s beside a GEMM peak measured in the same run.")
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--config", defaultValue = "small", description = "config (default: ${DEFAULT-VALUE})")
    String config;

    @Option(names = "--steps", defaultValue = "5", description = "K of the meta-gradient (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--inner-repeats", defaultValue = "10", description = "timed inner steps (default: ${DEFAULT-VALUE})")
    int innerRepeats;

    @Option(names = "--grad-repeats", defaultValue = "5", description = "timed meta-gradients (default: ${DEFAULT-VALUE})")
    int gradRepeats;

    @Option(names = "--dtype", defaultValue = "float", description = "float or double (default: ${DEFAULT-VALUE})")
    String dtype;

    @Option(names = "--workers", defaultValue = "2",
            description = "measure meta-gradients per minute with 1..N worker threads (default: ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--graph-cache", paramLabel = "N",
            description = "instead: keep up to N graphs of the config's meta-training grid (depths, widths, "
                    + "shortest and longest k) and report the resident memory they hold against the cache's estimate")
    Integer graphCache;

    @Option(names = "--grid", paramLabel = "N",
            description = "instead: meta-gradients per minute over the config's whole task distribution "
                    + "(architectures, k and T drawn as metatrain draws them, graph builds included), "
                    + "N truncations per worker, with 1..--workers workers")
    Integer grid;

    @Option(names = "--graph-variants",
            description = "also measure the unroll with free hidden widths, and its gradient function saved and "
                    + "loaded (FlatBuffers) against building it, passes alternated with the fixed graph's")
    boolean graphVariants;

    @Option(names = "--estimators",
            description = "instead: the quality of one meta-gradient estimate per CPU-second for backprop, ES and "
                    + "PES on one fixed task (cosine with a reference gradient of the whole horizon, variance, CPU "
                    + "seconds; docs/TRAINING.md#estimators)")
    boolean estimators;

    @Option(names = "--horizon", defaultValue = "200", description = "with --estimators: inner steps H of the "
            + "target (default: ${DEFAULT-VALUE})")
    int horizon;

    @Option(names = "--backprop-k", defaultValue = "5", description = "with --estimators: backprop's truncation "
            + "(default: ${DEFAULT-VALUE})")
    int backpropK;

    @Option(names = "--forward-k", defaultValue = "50", description = "with --estimators: ES and PES truncation "
            + "(default: ${DEFAULT-VALUE})")
    int forwardK;

    @Option(names = "--pairs", defaultValue = "1", description = "with --estimators: ES and PES antithetic pairs "
            + "(default: ${DEFAULT-VALUE})")
    int pairs;

    @Option(names = "--sigma", defaultValue = "0.01", description = "with --estimators: sigma (default: ${DEFAULT-VALUE})")
    double sigma;

    @Option(names = "--seeds", defaultValue = "4", description = "with --estimators: walks per forward estimator "
            + "(default: ${DEFAULT-VALUE})")
    int seeds;

    @Option(names = "--directions", defaultValue = "16", description = "with --estimators: random directions of "
            + "the reference (central differences of the whole horizon's loss; default: ${DEFAULT-VALUE})")
    int directions;

    @Option(names = "--json", description = "also write the results to this JSON file")
    Path json;

    @Override
    public Integer call() throws Exception {
        if (steps < 1 || innerRepeats < 1 || gradRepeats < 1 || workers < 1) {
            throw new BadInputException("--steps, --inner-repeats, --grad-repeats and --workers must be >= 1");
        }
        DataType dt = switch (dtype.toLowerCase(Locale.ROOT)) {
            case "float", "float32" -> DataType.FLOAT;
            case "double", "float64" -> DataType.DOUBLE;
            default -> throw new BadInputException("--dtype must be float or double, got " + dtype);
        };
        ExperimentConfig cfg = ConfigLoader.load(config);
        if (json != null) {
            OutputPaths.file(json, "--json");   // before the minutes of measuring
        }
        ProcessSetup.init();
        if (graphCache != null && graphCache < 1) {
            throw new BadInputException("--graph-cache must be >= 1");
        }
        if (grid != null && grid < 1) {
            throw new BadInputException("--grid must be >= 1");
        }
        if ((grid != null ? 1 : 0) + (graphCache != null ? 1 : 0) + (estimators ? 1 : 0) > 1) {
            throw new BadInputException("--grid, --graph-cache and --estimators are separate measurements: "
                    + "give one");
        }
        if (estimators && (horizon < 1 || backpropK < 1 || forwardK < 1 || horizon % backpropK != 0
                || horizon % forwardK != 0 || pairs < 1 || !(sigma > 0) || seeds < 1 || directions < 2)) {
            throw new BadInputException("--estimators: --horizon must be a multiple of --backprop-k and "
                    + "--forward-k (all >= 1), --pairs and --seeds >= 1, --sigma > 0, --directions >= 2");
        }
        Map<String, Object> r = grid != null
                ? GridBench.run(cfg, grid, workers, dt, line -> System.err.println("[bench] " + line))
                : estimators
                ? EstimatorQuality.run(cfg, new EstimatorQuality.Settings(horizon, backpropK, forwardK, pairs, sigma,
                        seeds, directions, dt), line -> System.err.println("[bench] " + line))
                : graphCache != null
                ? GraphCacheBench.run(cfg, graphCache, dt, line -> System.err.println("[bench] " + line))
                : Bench.run(cfg, new Bench.Settings(steps, innerRepeats, gradRepeats, dt, workers, graphVariants),
                        line -> System.err.println("[bench] " + line));
        for (Map.Entry<String, Object> e : r.entrySet()) {
            Object v = e.getValue();
            String s = v instanceof Double d ? String.format(Locale.ROOT, "%.3f", d) : String.valueOf(v);
            System.out.printf("%-28s %s%n", e.getKey(), s);
        }
        if (json != null) {
            AtomicFiles.writeString(json, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(r) + "\n");
        }
        return 0;
    }
}
