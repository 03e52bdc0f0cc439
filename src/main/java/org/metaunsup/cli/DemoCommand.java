package org.metaunsup.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.metaunsup.BadInputException;
import org.metaunsup.DivergenceException;
import org.metaunsup.config.ConfigLoader;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.data.DataSplits;
import org.metaunsup.data.Datasets;
import org.metaunsup.data.Task;
import org.metaunsup.data.TaskConfig;
import org.metaunsup.data.TaskSampler;
import org.metaunsup.eval.CurveChart;
import org.metaunsup.eval.InnerLoop;
import org.metaunsup.eval.MeanSe;
import org.metaunsup.export.CoreAdapter;
import org.metaunsup.export.LearnedRule;
import org.metaunsup.export.ThetaFile;
import org.metaunsup.io.AtomicFiles;
import org.metaunsup.io.AtomicFolder;
import org.metaunsup.io.OutputPaths;
import org.metaunsup.report.RunFolder;
import org.metaunsup.rule.Theta;
import org.metaunsup.rule.ThetaFolder;
import org.metaunsup.rule.ThetaSpec;
import org.metaunsup.util.Seeds;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code demo}, the main job: apply a rule to fresh base models on unlabelled 14×14 MNIST and
 * compare the 10-shot ridge accuracy of the features with random features (the rule never
 * applied). Writes a learning curve (CSV, PNG) and a summary into a run folder.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Apply the shipped rule (the newest models/*.theta.fb, else a meta-initialised one) to "
                + "fresh base models on unlabelled MNIST 14x14; compare 10-shot accuracy with random features.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--config", defaultValue = "small", description = "config (default: ${DEFAULT-VALUE})")
    String config;

    @Option(names = "--rule", description = "theta file (*.theta.fb) or theta folder (default: the newest "
            + "*.theta.fb in models/, else models/theta-<config>/, else the meta-initialised rule)")
    Path rule;

    @Option(names = "--dataset", defaultValue = "mnist14", description = "dataset (default: ${DEFAULT-VALUE})")
    String dataset;

    @Option(names = "--steps", defaultValue = "200", description = "inner steps (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--every", defaultValue = "20", description = "evaluation period (default: ${DEFAULT-VALUE})")
    int every;

    @Option(names = "--seeds", defaultValue = "3", description = "tasks/base models averaged (default: ${DEFAULT-VALUE})")
    int seeds;

    @Option(names = "--seed", defaultValue = "0", description = "run seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", description = "run folder (default: runs/demo-<time>)")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (steps < 1 || every < 1 || seeds < 1) {
            throw new org.metaunsup.BadInputException("--steps, --every and --seeds must be >= 1");
        }
        ExperimentConfig cfg = ConfigLoader.load(config);
        Path dir = out != null ? out : Path.of("runs", "demo-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        OutputPaths.folder(dir, "--out", RunFolder.MANIFEST);   // before loading anything
        ProcessSetup.init();
        DataSplits data = Datasets.load(dataset);
        cfg = cfg.withInputWidth(data.train().dim());
        // A θ file (docs/THETA_FORMAT.md) through the loading API: --rule FILE, else the newest
        // *.theta.fb in models/. A θ folder (trace format) still works: --rule DIR or
        // models/theta-<config>/.
        Path ruleFile = rule != null && !Files.isDirectory(rule) ? rule
                : rule == null ? LearnedRule.newestIn(Path.of("models")).orElse(null) : null;
        Path ruleDir = rule != null && Files.isDirectory(rule) ? rule : null;
        if (ruleFile == null && ruleDir == null && Files.isDirectory(Path.of("models", "theta-" + cfg.name()))) {
            ruleDir = Path.of("models", "theta-" + cfg.name());
        }
        Theta theta;
        String ruleName;
        if (ruleFile != null) {
            LearnedRule learned = LearnedRule.load(ruleFile);
            cfg = CoreAdapter.withRuleOf(cfg, learned.card());
            learned.checkArchitecture(cfg.base());
            theta = learned.theta();
            ruleName = learned.describe();
            System.err.println("using the " + ruleName);
        } else if (ruleDir == null) {
            ThetaSpec spec = new ThetaSpec(cfg.rule(), cfg.base().topWidth());
            theta = Theta.init(spec, Seeds.derive(seed, "theta-init"), DataType.FLOAT);
            ruleName = "untrained rule (random theta)";
            System.err.println("note: no theta file (*" + ThetaFile.EXTENSION + ") in models/: falling back to the "
                    + "meta-initialised rule of config " + cfg.name() + " (random theta, never meta-trained)");
        } else {
            theta = ThetaFolder.read(ruleDir, cfg.rule(), DataType.FLOAT);
            ruleName = "rule " + ruleDir;
        }
        Map<String, Object> seedInfo = new LinkedHashMap<>();
        seedInfo.put("run", seed);
        seedInfo.put("tasks", "task-<i> streams of the run seed, i < " + seeds);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("dataset", dataset);
        extra.put("rule", ruleFile != null ? ruleFile.toString() : ruleDir == null ? "random" : ruleDir.toString());
        extra.put("base", cfg.base().describe());
        extra.put("inner_steps", steps);

        // The run folder is written beside its target and renamed into place: complete, or
        // (after a divergence or a failure of the program) marked unfinished in its manifest;
        // after bad input nothing is left.
        try (AtomicFolder folder = AtomicFolder.begin(dir, "--out", RunFolder.MANIFEST)) {
            RunFolder run = RunFolder.create(folder.dir(), "demo", cfg, seedInfo, extra);
            try {
                curves(cfg, data, theta, ruleName, run.dir());
                run.finish(RunFolder.Status.FINISHED, null);
            } catch (BadInputException e) {
                throw e;
            } catch (DivergenceException e) {
                keepUnfinished(run, folder, RunFolder.Status.DIVERGED, e);
                throw e.withNote("run folder " + dir + " records it (finished: false)");
            } catch (RuntimeException | Error e) {
                keepUnfinished(run, folder, RunFolder.Status.FAILED, e);
                throw e;
            }
            folder.commit();
        }
        System.out.println(dir.toAbsolutePath());
        return 0;
    }

    private void curves(ExperimentConfig cfg, DataSplits data, Theta theta, String ruleName, Path dir)
            throws Exception {
        TaskSampler sampler = new TaskSampler(data.train(), TaskConfig.forObjective(cfg.objective()));
        InnerLoop withRule = new InnerLoop(cfg, cfg.base(), theta, DataType.FLOAT);
        InnerLoop random = new InnerLoop(cfg, cfg.base(), null, DataType.FLOAT);
        List<List<InnerLoop.Point>> ruleCurves = new ArrayList<>();
        List<List<InnerLoop.Point>> randomCurves = new ArrayList<>();
        for (int i = 0; i < seeds; i++) {
            Task task = sampler.sample(Seeds.derive(seed, "task-" + i));
            long phiSeed = Seeds.derive(seed, "phi-" + i);
            final int k = i;
            String what = "the base model of task " + (i + 1) + " under the " + ruleName;
            System.err.printf(Locale.ROOT, "task %d/%d: %d inner steps of the %s%n", i + 1, seeds, steps, ruleName);
            int[] lastGood = {0};
            try {
                ruleCurves.add(withRule.run(task, phiSeed, steps, every, p -> {
                    if (!Double.isFinite(p.metaLoss())) {
                        throw new DivergenceException(what, p.step(), "meta-loss " + p.metaLoss()
                                + ", last finite at step " + lastGood[0], null);
                    }
                    lastGood[0] = p.step();
                    System.err.printf(Locale.ROOT, "  task %d step %4d  meta-loss %.4f  10-shot accuracy %.3f%n",
                            k + 1, p.step(), p.metaLoss(), p.queryAccuracy());
                }));
            } catch (DivergenceException | BadInputException e) {
                throw e;
            } catch (RuntimeException e) {
                if (Failures.find(e, OutOfMemoryError.class) == null && isNumerical(e)) {
                    // Noticed at the first evaluation after the last good one (the solve runs there).
                    throw new DivergenceException(what, Math.min(lastGood[0] + every, steps), "meta-loss last finite "
                            + "at step " + lastGood[0] + "; " + Failures.oneLine(String.valueOf(rootOf(e).getMessage())),
                            e);
                }
                throw e;
            }
            randomCurves.add(random.run(task, phiSeed, steps, every, null));
        }
        writeResults(dir, ruleName, ruleCurves, randomCurves);
    }

    /** The ridge solve is where absurd features show first: a singular or non-finite system. */
    private static boolean isNumerical(Throwable e) {
        String m = String.valueOf(rootOf(e).getMessage()).toLowerCase(Locale.ROOT);
        return m.contains("singular") || m.contains("nan") || m.contains("infinit") || m.contains("not finite")
                || m.contains("became");
    }

    private static Throwable rootOf(Throwable e) {
        Throwable r = e;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r;
    }

    /** Records how the run ended and keeps the folder; a failure to do so does not hide the cause. */
    private static void keepUnfinished(RunFolder run, AtomicFolder folder, RunFolder.Status status, Throwable cause) {
        try {
            run.finish(status, Failures.oneLine(String.valueOf(cause.getMessage())));
            folder.commit();
        } catch (RuntimeException | java.io.IOException e) {
            cause.addSuppressed(e);
        }
    }

    private void writeResults(Path dir, String ruleName, List<List<InnerLoop.Point>> rule,
                              List<List<InnerLoop.Point>> random) throws Exception {
        int n = rule.get(0).size();
        double[] x = new double[n];
        MeanSe[] rAcc = stats(rule, true);
        MeanSe[] zAcc = stats(random, true);
        MeanSe[] rLoss = stats(rule, false);
        MeanSe[] zLoss = stats(random, false);
        StringBuilder csv = new StringBuilder("step,rule_accuracy_mean,rule_accuracy_se,random_accuracy_mean,"
                + "random_accuracy_se,rule_meta_loss_mean,random_meta_loss_mean\n");
        for (int i = 0; i < n; i++) {
            x[i] = rule.get(0).get(i).step();
            csv.append(String.format(Locale.ROOT, "%d,%.5f,%.5f,%.5f,%.5f,%.5f,%.5f%n", (int) x[i], rAcc[i].mean(),
                    rAcc[i].se(), zAcc[i].mean(), zAcc[i].se(), rLoss[i].mean(), zLoss[i].mean()));
        }
        AtomicFiles.writeString(dir.resolve("curve.csv"), csv.toString());
        String ruleLabel = ruleName.startsWith("untrained") || ruleName.startsWith("meta-initialised") ? "untrained rule" : "learned rule";
        new CurveChart("10-shot ridge accuracy on MNIST 14x14 (" + seeds + " seeds, mean ± se)", "inner steps")
                .panel("query accuracy", List.of(
                        series("rule", ruleLabel, x, rAcc), series("none", "random features", x, zAcc)))
                .writePng(dir.resolve("curve.png"), 760, 460);
        String summary = String.format(Locale.ROOT,
                "demo: %s on %s, %d inner steps, %d seeds%n"
                        + "10-shot query accuracy after %d steps: %.3f ± %.3f (random features: %.3f ± %.3f; "
                        + "mean ± standard error)%n"
                        + "meta-loss after %d steps: %.4f (random features: %.4f)%n"
                        + "files: curve.csv, curve.png, config.properties, manifest.json%n",
                ruleName, dataset, steps, seeds, steps, rAcc[n - 1].mean(), rAcc[n - 1].se(), zAcc[n - 1].mean(),
                zAcc[n - 1].se(), steps, rLoss[n - 1].mean(), zLoss[n - 1].mean());
        AtomicFiles.writeString(dir.resolve("summary.txt"), summary);
        System.err.print(summary);
    }

    private static CurveChart.Series series(String id, String label, double[] x, MeanSe[] v) {
        return new CurveChart.Series(id, label, x, java.util.Arrays.stream(v).mapToDouble(MeanSe::mean).toArray(),
                java.util.Arrays.stream(v).mapToDouble(MeanSe::se).toArray());
    }

    /** Mean and standard error over seeds at every curve point. */
    private static MeanSe[] stats(List<List<InnerLoop.Point>> curves, boolean accuracy) {
        int n = curves.get(0).size();
        MeanSe[] out = new MeanSe[n];
        for (int i = 0; i < n; i++) {
            final int k = i;
            out[i] = MeanSe.of(curves.stream().mapToDouble(c -> accuracy ? c.get(k).queryAccuracy()
                    : c.get(k).metaLoss()).toArray());
        }
        return out;
    }
}
