package org.metaunsup.cli;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import org.metaunsup.BadInputException;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.data.DataSplits;
import org.metaunsup.data.Datasets;
import org.metaunsup.eval.Architectures;
import org.metaunsup.eval.EvalData;

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
     * @param out {@code --out}, or null
     * @param command the command's name
     * @return {@code out}, or {@code runs/<command>-<local time>}
     */
    static Path runDir(Path out, String command) {
        return out != null ? out : Path.of("runs", command + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }
}
