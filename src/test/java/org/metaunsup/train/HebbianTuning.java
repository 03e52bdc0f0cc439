package org.metaunsup.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.metaunsup.basemodel.PhiState;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.ConfigLoader;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.eval.CurvePoint;
import org.metaunsup.eval.EvalData;
import org.metaunsup.eval.EvalProtocol;
import org.metaunsup.eval.Evaluation;
import org.metaunsup.eval.FeatureMethod;
import org.metaunsup.eval.MeanSe;
import org.metaunsup.eval.MethodContext;
import org.metaunsup.testing.HebbianReference;
import org.metaunsup.util.Seeds;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * How the two constants of {@code rule.HebbianTheta} were chosen (docs/METHOD.md#hand-init), on
 * the glyph <b>validation scripts only</b>: the fixed 10-way validation tasks of meta-training's
 * held-out evaluation ({@link HeldOutEvaluation#validationTasks}, each task's images its unlabelled
 * data and labelled pool, one base-model seed each), the {@code small} config and base model, the
 * learner run by the plain-Java {@link HebbianReference} (equal to the rule graph under that θ to
 * 1e-15, {@code unroll.HebbianThetaStepTest}) because it is ~100× cheaper. Prints the 10-shot ridge
 * accuracy at each measured step for each (hebbian, decorrelation) pair. Not a test; run with
 * {@code mvn -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=org.metaunsup.train.HebbianTuning -Dexec.args="TASKS STEPS h:d ..."}.
 */
public final class HebbianTuning {

    private HebbianTuning() {}

    /**
     * @param args number of validation tasks, inner steps, then pairs {@code hebbian:decorrelation}
     */
    public static void main(String[] args) {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        int tasks = Integer.parseInt(args[0]);
        int steps = Integer.parseInt(args[1]);
        ExperimentConfig small = ConfigLoader.load("small");
        List<EvalData> validation = HeldOutEvaluation.validationTasks(14, tasks);
        for (int a = 2; a < args.length; a++) {
            String[] hd = args[a].split(":");
            double h = Double.parseDouble(hd[0]);
            double d = Double.parseDouble(hd[1]);
            int every = Math.max(1, steps / 2);
            double[][] acc = new double[steps / every + 2][tasks];
            List<Integer> at = new ArrayList<>();
            for (int t = 0; t < tasks; t++) {
                EvalData data = validation.get(t);
                ExperimentConfig cfg = small.withInputWidth(data.dim());
                BaseModelConfig arch = cfg.base();
                EvalProtocol p = new EvalProtocol(steps, every, 1, 10, Math.max(data.classes(),
                        Math.min(1000, data.heldOutCount() / 2)), 5, cfg.objective().lambda());
                List<CurvePoint> pts = new Evaluation(cfg, arch, data, p,
                        Seeds.derive(HeldOutEvaluation.SEED, "validation-" + t), DataType.DOUBLE)
                        .run(List.of(new Method(new HebbianReference(h, d, cfg.eta()))), null, () -> false).points();
                at.clear();
                int i = 0;
                StringBuilder line = new StringBuilder("  task " + t + ":");
                for (CurvePoint pt : pts) {
                    at.add(pt.step());
                    acc[i++][t] = pt.ridgeAccuracy();
                    line.append(String.format(Locale.ROOT, " %d %.3f", pt.step(), pt.ridgeAccuracy()));
                }
                System.out.println(line);
            }
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "hebbian %6.2f decorrelation %6.2f:", h, d));
            for (int i = 0; i < at.size(); i++) {
                MeanSe m = MeanSe.of(acc[i]);
                sb.append(String.format(Locale.ROOT, "  step %d %.3f±%.3f", at.get(i), m.mean(), m.se()));
            }
            System.out.println(sb);
        }
    }

    /** A [n, d] array as rows, read in one bulk copy (element-wise reads cost more than the learner). */
    private static double[][] rows(INDArray x) {
        double[] flat = x.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        int n = (int) x.size(0);
        int d = (int) x.size(1);
        double[][] out = new double[n][d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * d, out[i], 0, d);
        }
        return out;
    }

    /** The reference learner as a feature method (features: its own plain-Java forward pass). */
    private record Method(HebbianReference learner) implements FeatureMethod {
        @Override
        public String id() {
            return "hebbian-reference";
        }

        @Override
        public String label() {
            return id();
        }

        @Override
        public Run start(MethodContext ctx) {
            PhiState init = PhiState.init(ctx.arch(), ctx.initSeed(), DataType.DOUBLE);
            int depth = init.depth();
            double[][][] w = new double[depth][][];
            double[][][] v = new double[depth][][];
            double[][] b = new double[depth][];
            for (int l = 0; l < depth; l++) {
                w[l] = init.w().get(l).toDoubleMatrix();
                v[l] = init.v().get(l).toDoubleMatrix();
                b[l] = init.b().get(l).toDoubleVector();
            }
            return new Run() {
                private HebbianReference.Phi phi = new HebbianReference.Phi(w, v, b);

                @Override
                public void train(int n) {
                    for (int i = 0; i < n; i++) {
                        phi = learner.step(phi, rows(ctx.unlabelled().next(DataType.DOUBLE)));
                    }
                }

                @Override
                public INDArray features(INDArray x) {
                    double[][][] xs = HebbianReference.forward(phi, rows(x));
                    return Nd4j.createFromArray(xs[xs.length - 1]);
                }
            };
        }
    }
}
