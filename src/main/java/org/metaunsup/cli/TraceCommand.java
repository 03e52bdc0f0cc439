package org.metaunsup.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.metaunsup.BadInputException;
import org.metaunsup.config.Activation;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.ConfigLoader;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.io.OutputPaths;
import org.metaunsup.io.TraceFiles;
import org.metaunsup.unroll.Trace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trace}: write the numbers of one inner step and a K=2 unroll, or check another's. */
@Command(name = "trace", mixinStandardHelpOptions = true,
        description = {"Write theta, phi, inputs, one inner step and a K=2 unroll (meta-loss and "
                + "meta-gradient) as float64 .npy files with index.json (docs/TRACE_FORMAT.md).",
            "With --verify DIR, recompute a trace written by another implementation and compare."})
final class TraceCommand implements Callable<Integer> {

    @Option(names = "--config", description = "config name or file (default: tiny, or the trace's)")
    String config;

    @Option(names = "--seed", defaultValue = "1", description = "run seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", description = "folder to write the trace into")
    Path out;

    @Option(names = "--verify", description = "trace folder to recompute and compare with")
    Path verify;

    @Option(names = "--tolerance", defaultValue = "1e-6",
            description = "max relative error accepted by --verify (default: ${DEFAULT-VALUE})")
    double tolerance;

    @Override
    public Integer call() throws Exception {
        if ((out == null) == (verify == null)) {
            throw new BadInputException("trace needs exactly one of --out DIR or --verify DIR");
        }
        if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
            throw new BadInputException("--tolerance must be a finite number >= 0, got " + tolerance);
        }
        ProcessSetup.init();
        return out != null ? write() : verify();
    }

    private int write() throws Exception {
        ExperimentConfig cfg = ConfigLoader.load(config == null ? "tiny" : config);
        OutputPaths.folder(out, "--out", TraceFiles.INDEX);   // before the seconds of computing
        List<TraceFiles.Entry> entries = Trace.generate(cfg, seed);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("config", cfg.name());
        meta.put("resolved_config", cfg.toProperties());
        meta.put("seed", seed);
        meta.put("dtype", "float64");
        meta.put("K", Trace.K);
        meta.put("widths", cfg.base().widths());
        meta.put("writer", "metaunsup " + new VersionProvider().getVersion()[0]);
        TraceFiles.write(out, entries, meta);
        System.out.println("wrote " + entries.size() + " tensors to " + out.toAbsolutePath());
        return 0;
    }

    private int verify() {
        if (!Files.isDirectory(verify)) {
            throw new BadInputException("--verify " + verify + ": " + (Files.exists(verify)
                    ? "is a file; a trace folder is needed" : "no such folder"));
        }
        JsonNode index = TraceFiles.index(verify);
        Path indexFile = verify.resolve(TraceFiles.INDEX);
        String cfgName = config != null ? config : index.path("config").asText("tiny");
        if (index.has("dtype") && !index.get("dtype").asText().equals("float64")) {
            throw new BadInputException(indexFile + ": dtype " + index.get("dtype") + ", traces are float64");
        }
        ExperimentConfig cfg = ConfigLoader.load(cfgName);
        BaseModelConfig base = cfg.base();
        if (index.has("widths")) {
            JsonNode w = index.get("widths");
            if (!w.isArray() || w.size() < 2) {
                throw new BadInputException(indexFile + ": \"widths\" must list at least an input and a top width");
            }
            int[] widths = new int[w.size()];
            for (int i = 0; i < widths.length; i++) {
                if (!w.get(i).isIntegralNumber() || w.get(i).asLong() < 1 || w.get(i).asLong() > 1_000_000) {
                    throw new BadInputException(indexFile + ": \"widths\" " + w + " must be positive integers");
                }
                widths[i] = w.get(i).asInt();
            }
            base = new BaseModelConfig(widths, cfg.base().activation() == null ? Activation.RELU
                    : cfg.base().activation());
        }
        Map<String, INDArray> theirs = TraceFiles.read(verify);
        List<TraceFiles.Entry> ours = Trace.replay(cfg, base, theirs);
        // Some meta-gradients are zero in exact arithmetic (conv biases followed by a batch norm),
        // so both sides hold rounding noise there: compare those against the largest gradient.
        double gradScale = 0;
        for (Map.Entry<String, INDArray> e : theirs.entrySet()) {
            if (e.getKey().startsWith("unroll/grad/")) {
                gradScale = Math.max(gradScale, e.getValue().norm2Number().doubleValue());
            }
        }
        double worst = 0;
        int compared = 0;
        for (TraceFiles.Entry e : ours) {
            String n = e.name();
            if (!(n.startsWith("step/") || n.startsWith("unroll/")) || !theirs.containsKey(n)) {
                continue;
            }
            INDArray want = theirs.get(n);
            double floor = n.startsWith("unroll/grad/") ? 1e-9 * gradScale : 1e-300;
            double scale = Math.max(want.norm2Number().doubleValue(), floor);
            double err = e.value().castTo(want.dataType()).sub(want).norm2Number().doubleValue() / scale;
            worst = Math.max(worst, err);
            compared++;
            System.out.printf("%-40s rel err %.3e%s%n", n, err, err > tolerance ? "  MISMATCH" : "");
        }
        System.out.printf("compared %d outputs, worst relative error %.3e (tolerance %.1e)%n", compared, worst,
                tolerance);
        if (compared == 0) {
            throw new BadInputException(verify + ": the trace has no step/ or unroll/ outputs to compare");
        }
        return worst <= tolerance ? 0 : Main.EXIT_FAILURE;
    }
}
