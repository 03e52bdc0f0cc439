package org.metaunsup.eval.curves;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.metaunsup.eval.CurveChart;
import org.metaunsup.eval.MeanSe;
import org.metaunsup.io.AtomicFiles;

/**
 * Writes the result files of {@code demo}: {@code curve.csv} (per measured step: mean and standard
 * error over tasks of the rule's and the random features' 10-shot accuracy, and the mean
 * meta-losses), {@code curve.png} and {@code summary.txt}. Every file is written atomically.
 */
public final class DemoFiles {

    /** The columns of {@code curve.csv}. */
    public static final String HEADER = "step,rule_accuracy_mean,rule_accuracy_se,random_accuracy_mean,"
            + "random_accuracy_se,rule_meta_loss_mean,random_meta_loss_mean";

    /**
     * What the summary and the figure say about the run.
     *
     * @param rule the rule's description
     * @param dataset the dataset as given
     * @param steps inner steps per task
     */
    public record Description(String rule, String dataset, int steps) {}

    private DemoFiles() {}

    /**
     * @param curves the curves of at least one task
     * @return curve.csv
     */
    public static String csv(DemoStudy.Curves curves) {
        Stats s = new Stats(curves);
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        for (int i = 0; i < s.x.length; i++) {
            csv.append(String.format(Locale.ROOT, "%d,%.5f,%.5f,%.5f,%.5f,%.5f,%.5f%n", (int) s.x[i], s.ruleAcc[i].mean(),
                    s.ruleAcc[i].se(), s.randomAcc[i].mean(), s.randomAcc[i].se(), s.ruleLoss[i].mean(),
                    s.randomLoss[i].mean()));
        }
        return csv.toString();
    }

    /**
     * @param curves the curves of at least one task
     * @param d the run
     * @return summary.txt
     */
    public static String summary(DemoStudy.Curves curves, Description d) {
        Stats s = new Stats(curves);
        int n = s.x.length - 1;
        return String.format(Locale.ROOT,
                "demo: %s on %s, %d inner steps, %d seeds%n"
                        + "10-shot query accuracy after %d steps: %.3f ± %.3f (random features: %.3f ± %.3f; "
                        + "mean ± standard error)%n"
                        + "meta-loss after %d steps: %.4f (random features: %.4f)%n"
                        + "files: curve.csv, curve.png, config.properties, manifest.json%n",
                d.rule(), d.dataset(), d.steps(), curves.tasks(), d.steps(), s.ruleAcc[n].mean(), s.ruleAcc[n].se(),
                s.randomAcc[n].mean(), s.randomAcc[n].se(), d.steps(), s.ruleLoss[n].mean(), s.randomLoss[n].mean());
    }

    /**
     * Writes curve.csv, curve.png and summary.txt.
     *
     * @param dir the run folder
     * @param curves the curves of at least one task
     * @param d the run
     * @return the summary
     * @throws IOException on write failure
     */
    public static String write(Path dir, DemoStudy.Curves curves, Description d) throws IOException {
        if (curves.tasks() == 0) {
            throw new IllegalArgumentException("no task was completed");
        }
        Stats s = new Stats(curves);
        AtomicFiles.writeString(dir.resolve("curve.csv"), csv(curves));
        String ruleLabel = d.rule().startsWith("untrained") || d.rule().startsWith("meta-initialised")
                ? "untrained rule" : "learned rule";
        new CurveChart("10-shot ridge accuracy on MNIST 14x14 (" + curves.tasks() + " seeds, mean ± se)", "inner steps")
                .panel("query accuracy", List.of(series("rule", ruleLabel, s.x, s.ruleAcc),
                        series("none", "random features", s.x, s.randomAcc)))
                .writePng(dir.resolve("curve.png"), 760, 460);
        String summary = summary(curves, d);
        AtomicFiles.writeString(dir.resolve("summary.txt"), summary);
        return summary;
    }

    private static CurveChart.Series series(String id, String label, double[] x, MeanSe[] v) {
        return new CurveChart.Series(id, label, x, Arrays.stream(v).mapToDouble(MeanSe::mean).toArray(),
                Arrays.stream(v).mapToDouble(MeanSe::se).toArray());
    }

    /** Mean and standard error over tasks at every curve point. */
    private static final class Stats {
        final double[] x;
        final MeanSe[] ruleAcc;
        final MeanSe[] randomAcc;
        final MeanSe[] ruleLoss;
        final MeanSe[] randomLoss;

        Stats(DemoStudy.Curves c) {
            x = c.rule().get(0).stream().mapToDouble(InnerLoop.Point::step).toArray();
            ruleAcc = stats(c.rule(), true);
            randomAcc = stats(c.random(), true);
            ruleLoss = stats(c.rule(), false);
            randomLoss = stats(c.random(), false);
        }

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
}
