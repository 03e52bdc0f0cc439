package org.metaunsup.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.metaunsup.config.Activation;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.data.Dataset;
import org.metaunsup.data.Datasets;
import org.metaunsup.dl4j.ArrayDataSetIterator;
import org.metaunsup.dl4j.UnlabelledBatches;
import org.metaunsup.export.BaseModel;
import org.metaunsup.export.LearnedRule;
import org.metaunsup.export.ThetaCard;
import org.metaunsup.io.AtomicFiles;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Export and reload a rule. Write θ (here the meta-initialised rule of {@code small}) as one θ
 * file, look inside it with plain SameDiff, load it back through {@link LearnedRule#load}, and
 * train a base model of an architecture the file was not saved with — once with the original
 * rule, once with the reloaded one — on unlabelled MNIST 14×14: the two base models are equal.
 * Saves the θ file, its card ({@code card.json}) and {@code summary.txt}.
 */
public final class ExportAndReloadExample {

    private ExportAndReloadExample() {}

    /**
     * What the example shows.
     *
     * @param file the θ file written
     * @param bytes its size
     * @param card its card as written
     * @param thetaTensors θ variables plain SameDiff finds in it
     * @param architecture the other architecture trained (n_0 … n_L)
     * @param maxDifference largest |W_original − W_reloaded| after the inner steps (0 = identical)
     */
    public record Result(Path file, long bytes, ThetaCard card, int thetaTensors, String architecture,
                         double maxDifference) {}

    /**
     * @param out folder for the θ file, card and summary
     * @param steps inner steps of each training
     * @param seed θ init and base model seed
     * @return the numbers shown
     * @throws Exception on failure to write
     */
    public static Result run(Path out, int steps, long seed) throws Exception {
        // 1. A rule and its θ file: θ variables, the graph of one inner step, the card.
        LearnedRule rule = LearnedRule.metaInitialised("small", seed);
        Path file = out.resolve("rule-small.theta.fb");
        ThetaCard card = rule.save(file);

        // 2. Plain SameDiff needs nothing of ours to see θ.
        SameDiff plain = SameDiff.fromFlatFile(file.toFile());
        int tensors = 0;
        for (SDVariable v : plain.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE && v.name().startsWith("theta/")) {
                tensors++;
            }
        }

        // 3. The loading API: one call, validated.
        LearnedRule reloaded = LearnedRule.load(file);

        // 4. Another architecture with the same top width, trained by both rules on the same batches.
        Dataset mnist = Datasets.load("mnist14").train();
        BaseModelConfig arch = new BaseModelConfig(new int[] {mnist.dim(), 48, 48, 48, rule.topUnits()},
                Activation.RELU);
        BaseModel a = train(rule, arch, mnist, steps, seed);
        BaseModel b = train(reloaded, arch, mnist, steps, seed);
        double diff = 0;
        for (int l = 0; l < arch.depth(); l++) {
            diff = Math.max(diff, a.params().w().get(l).sub(b.params().w().get(l)).amaxNumber().doubleValue());
        }
        Result r = new Result(file, Files.size(file), card, tensors, arch.describe(), diff);
        AtomicFiles.writeString(out.resolve("card.json"), card.toJson() + "\n");
        AtomicFiles.writeString(out.resolve("summary.txt"), summary(r, steps));
        return r;
    }

    private static BaseModel train(LearnedRule rule, BaseModelConfig arch, Dataset data, int steps, long seed) {
        int[] first = new int[rule.innerBatch() * steps];
        for (int i = 0; i < first.length; i++) {
            first[i] = i;
        }
        UnlabelledBatches batches = new UnlabelledBatches(ArrayDataSetIterator.of(data, first, false, 256),
                rule.innerBatch());
        return rule.train(arch, batches, steps, seed, null);
    }

    private static String summary(Result r, int steps) {
        return String.format(Locale.ROOT, "theta file %s: %,d bytes, %d theta tensors seen by plain SameDiff%n"
                        + "card: config %s, rule h=%d d=%d, top width %d, eta %g, inner batch %d, commit %s%n"
                        + "base model %s trained %d inner steps by the original and by the reloaded rule: "
                        + "max |W difference| = %g%n",
                r.file().getFileName(), r.bytes(), r.thetaTensors(), r.card().config(), r.card().rule().hidden(),
                r.card().rule().delta(), r.card().topUnits(), r.card().eta(), r.card().innerBatch(),
                r.card().commit(), r.architecture(), steps, r.maxDifference());
    }

    /** @param args optional output folder (default: runs/example-export) */
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "runs/example-export");
        Result r = run(out, 5, 1);
        System.out.print(summary(r, 5));
        System.out.println("saved in " + out.toAbsolutePath());
    }
}
