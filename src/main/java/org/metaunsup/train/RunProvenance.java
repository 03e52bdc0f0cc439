package org.metaunsup.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.config.ThetaInit;
import org.metaunsup.data.DataSplits;

/**
 * Where a meta-training run's results come from, in one place for the run folder's manifest and
 * every θ card: engine and workers, the target, the floating type, the training data with its
 * checksums, the held-out evaluation, and how every seed derives from the run seed.
 *
 * @param config the run's config
 * @param options what was asked for
 */
record RunProvenance(ExperimentConfig config, MetaTrainer.Options options) {

    /** How the run's named seed streams derive from the run seed (manifest prose, util.Seeds). */
    static final String SEED_DERIVATION = "theta-init = Seeds.derive(run, \"theta-init\"); task i of worker w: "
            + "task-shape/w<w>/task<i>, task-data/..., phi-init/...; truncation j: truncation/w<w>/<j>";

    /** @return the manifest fields of a meta-training run beyond {@link org.metaunsup.report.RunFolder}'s own */
    Map<String, Object> manifest() {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("engine", options.engine());
        extra.put("master", options.master());
        extra.put("workers", options.workers());
        extra.put("steps_target", options.steps() == 0 ? null : options.steps());
        extra.put("dtype", options.dtype().name());
        extra.put("training_data", trainingData());
        extra.put("theta_init", config.outer().init().key() + (config.outer().init() == ThetaInit.META
                ? " (docs/METHOD.md#theta-init)" : " (hand-designed learner, docs/METHOD.md#hand-init)"));
        extra.put("held_out_evaluation", options.evalSteps() == 0 ? "none" : options.evalSteps() + " inner steps, "
                + options.evalSeeds() + " seeds (fixed seed " + HeldOutEvaluation.SEED + "), 10 shots, up to 1000 "
                + "queries, 5 support draws; MNIST and alphabet test faces; validation scripts of the glyph corpus "
                + "(choose best.json)");
        return extra;
    }

    /** @return the seeds of the manifest: the run seed and how the streams derive from it */
    static Map<String, Object> seeds(long seed) {
        Map<String, Object> seeds = new LinkedHashMap<>();
        seeds.put("run", seed);
        seeds.put("derivation", SEED_DERIVATION);
        return seeds;
    }

    /** @return the training data: set, augmentation, files with their checksums and status */
    Map<String, Object> trainingData() {
        DataSplits data = WorkerContext.trainingData(config);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", data.name() + " (train faces)");
        m.put("augmentation", config.task().augmentation());
        List<Map<String, Object>> files = new ArrayList<>();
        for (DataSplits.FileCheck f : data.files()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("path", f.path());
            e.put("md5", f.md5());
            e.put("status", f.status());
            files.add(e);
        }
        m.put("files", files);
        return m;
    }

    /** @return training data file → MD5, for θ cards */
    Map<String, String> dataChecksums() {
        Map<String, String> checksums = new LinkedHashMap<>();
        for (DataSplits.FileCheck f : WorkerContext.trainingData(config).files()) {
            checksums.put(f.path(), f.md5());
        }
        return checksums;
    }
}
