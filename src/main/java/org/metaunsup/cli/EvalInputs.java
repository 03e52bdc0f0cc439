package org.metaunsup.cli;

import java.util.List;
import java.util.function.IntToLongFunction;
import java.util.stream.IntStream;
import org.metaunsup.BadInputException;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.data.DataSplits;
import org.metaunsup.data.Datasets;
import org.metaunsup.eval.Architectures;
import org.metaunsup.eval.EvalData;
import org.metaunsup.report.Provenance;

/**
 * What the evaluation commands ({@code evaluate}, {@code transfer}, {@code invariance},
 * {@code filters}) load before any work: the data, the config fitted to its input width and the
 * base model.
 *
 * @param config the config with {@code base.input} set to the data's dimension
 * @param splits the dataset
 * @param data its evaluation view
 * @param base the base model (the config's, or {@code --arch})
 */
record EvalInputs(ExperimentConfig config, DataSplits splits, EvalData data, BaseModelConfig base) {

    /**
     * @param cfg the loaded config
     * @param dataset {@code --dataset}
     * @param arch {@code --arch}, or null for the config's base model
     * @return the inputs
     * @throws BadInputException on a bad dataset or architecture, or an inner batch larger than the
     *     unlabelled split
     */
    static EvalInputs load(ExperimentConfig cfg, String dataset, String arch) {
        ProcessSetup.init();
        DataSplits splits = Datasets.load(dataset);
        EvalData data = EvalData.of(splits);
        ExperimentConfig fitted = cfg.withInputWidth(data.dim());
        BaseModelConfig base = arch == null ? fitted.base()
                : Architectures.parse(arch, data.dim(), fitted.base().activation());
        if (fitted.innerBatch() > data.unlabelledCount()) {
            throw new BadInputException(dataset + ": inner batch " + fitted.innerBatch() + " exceeds the "
                    + data.unlabelledCount() + " unlabelled images");
        }
        return new EvalInputs(fitted, splits, data, base);
    }

    /**
     * Adds what every study's manifest says about its data: {@code dataset}, {@code data_shape}
     * and, when asked, the sizes of the unlabelled and held-out splits.
     *
     * @param p the run's provenance so far
     * @param counts whether to add {@code unlabelled_images} and {@code held_out_images}
     * @return {@code p}
     */
    Provenance.Builder describe(Provenance.Builder p, boolean counts) {
        p.field("dataset", splits.name()).field("data_shape", data.shapeText());
        if (counts) {
            p.field("unlabelled_images", data.unlabelledCount()).field("held_out_images", data.heldOutCount());
        }
        return p;
    }

    /**
     * @param n seeds of the study
     * @param seedOf the study's seed i
     * @return seeds 0 … n−1, as the manifest lists them
     */
    static List<Long> seeds(int n, IntToLongFunction seedOf) {
        return IntStream.range(0, n).mapToLong(seedOf).boxed().toList();
    }
}
