package org.metaunsup.eval;

import java.util.Locale;
import org.metaunsup.BadInputException;

/**
 * The measurement protocol of a learning curve (docs/EVALUATION.md). Every method is trained for
 * {@code steps} steps and measured every {@code every} steps (and at 0 and at the end) on
 * held-out labelled data: for each of {@code draws} support draws of {@code shots} labelled
 * examples per class, a ridge and a logistic-regression readout are fitted on the support
 * features and scored on {@code query} other held-out examples. Each seed fixes the base init,
 * the input permutation, the order of unlabelled batches and the labelled draws; results are the
 * mean ± standard error over {@code seeds} seeds.
 *
 * @param steps training steps N of every method
 * @param every measurement period M
 * @param seeds number of seeds
 * @param shots support examples per class (10 in the paper)
 * @param query query examples (class-balanced, disjoint from every support draw)
 * @param draws support draws per measurement
 * @param lambda ridge penalty λ of the ridge readout and meta-objective
 */
public record EvalProtocol(int steps, int every, int seeds, int shots, int query, int draws, double lambda) {

    /** Checks every count is usable. */
    public EvalProtocol {
        if (steps < 0 || every < 1 || seeds < 1 || shots < 1 || query < 1 || draws < 1 || !(lambda > 0)) {
            throw new BadInputException("evaluation protocol needs steps >= 0, every, seeds, "
                    + "shots, query and draws >= 1 and lambda > 0");
        }
    }

    /** @return the paper's protocol: 10 shots, 2,000 query examples, 10 draws, λ = 0.1 */
    public static EvalProtocol paper(int steps, int every, int seeds) {
        return new EvalProtocol(steps, every, seeds, 10, 2000, 10, 0.1);
    }

    /** @return the measured steps: 0, M, 2M, ..., and N */
    public int[] measuredSteps() {
        int n = steps / every + 1 + (steps % every == 0 ? 0 : 1);
        int[] s = new int[n];
        for (int i = 0; i < n; i++) {
            s[i] = Math.min(i * every, steps);
        }
        return s;
    }

    /** @return one sentence stating the protocol, written into every output */
    public String describe() {
        return String.format(Locale.ROOT, "each method trained for %d steps on the unlabelled training split, "
                + "measured every %d steps on held-out labelled data: support = %d labelled examples per class "
                + "from the held-out split, query = %d other held-out examples (class-balanced), %d support "
                + "draws per point; ridge (lambda %.3g) and logistic readouts on the features; a seed fixes "
                + "base init, input permutation, data order and draws; mean +- standard error over %d seeds",
                steps, every, shots, query, draws, lambda, seeds);
    }
}
