package org.metaunsup.train;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.metaunsup.config.IntRange;
import org.metaunsup.config.TaskDistributionConfig;
import org.metaunsup.util.Seeds;

/**
 * Every random choice of meta-training as a pure function of (run seed, worker, counter): the
 * i-th task of worker w and the j-th truncation length of worker w are the same in every run with
 * that seed, whichever engine runs them and whether the run was resumed in between. A stream's
 * position is therefore just its counter ({@link WorkerState}).
 *
 * <p>Architectures: the number of hidden layers is uniform in {@code task.hidden_layers}; one
 * hidden width per task (every hidden layer the same), drawn uniformly from five log-spaced
 * points of {@code task.hidden_width}. A grid rather than every integer because each
 * (architecture, k) pair costs a graph and a gradient-function build (seconds); the grid keeps the
 * number of distinct graphs small enough for the cache while still spanning the range. (With graphs
 * whose hidden widths are free, {@code unroll.LayerWidths}, widths no longer cost graphs, only a
 * first pass per shape; the grid stays so that runs keep their draws.)
 *
 * <p>T is a log-uniform integer in its range. k is drawn uniformly from {@link #TRUNCATION_POINTS}
 * log-spaced points of {@code task.truncation} ({5, 7, 10} for {@code small}'s 5..10, {5, 10, 20}
 * for {@code paper}'s 5..20): every k needs a graph of its own per depth and worker, and a build
 * grows faster than linearly with k (a k = 10 graph costs ~4× a k = 5 one inside nd4j's
 * gradient-function build, docs/BENCHMARKS.md). A log-uniform integer k gave 6 (small) or 16 (paper)
 * lengths per depth; three points give six graphs for the two depths of {@code small} and keep k's
 * log-uniform spread (mean 7.33 against 7.12 for the integer draw; paper 11.7 against 10.7). The
 * bias this puts on truncated meta-gradients, if any, is the estimator's question, not the draw's.
 */
public final class TaskDraws {

    /** Points of the width grid. */
    static final int WIDTH_POINTS = 5;

    /** Points of the truncation-length grid. */
    static final int TRUNCATION_POINTS = 3;

    private final long seed;
    private final TaskDistributionConfig dist;
    private final int input;
    private final int top;

    /**
     * @param seed run seed
     * @param dist task distribution
     * @param input n_0 of every task
     * @param top n_L of every task (θ's top width)
     */
    public TaskDraws(long seed, TaskDistributionConfig dist, int input, int top) {
        this.seed = seed;
        this.dist = dist;
        this.input = input;
        this.top = top;
    }

    /**
     * One new task's choices.
     *
     * @param taskSeed the task sampler's seed
     * @param widths base architecture n_0 … n_L
     * @param totalSteps T
     * @param phiSeed seed of φ₀
     */
    public record TaskChoice(long taskSeed, int[] widths, int totalSteps, long phiSeed) {}

    /**
     * @param worker worker id
     * @param index the worker's task counter
     * @return the task drawn at that position
     */
    public TaskChoice task(int worker, long index) {
        String at = "w" + worker + "/task" + index;
        SplittableRandom rng = Seeds.stream(seed, "task-shape/" + at);
        IntRange layers = dist.hiddenLayers();
        int depth = layers.lo() + rng.nextInt(layers.hi() - layers.lo() + 1);
        int[] grid = widthGrid(dist.hiddenWidth());
        int width = grid[rng.nextInt(grid.length)];
        int[] widths = new int[depth + 2];
        Arrays.fill(widths, width);
        widths[0] = input;
        widths[depth + 1] = top;
        int total = logUniform(rng, dist.innerSteps());
        return new TaskChoice(Seeds.derive(seed, "task-data/" + at), widths, total, Seeds.derive(seed, "phi-init/" + at));
    }

    /**
     * @param worker worker id
     * @param index the worker's truncation counter
     * @return k of that truncation (backprop: from the grid of {@code task.truncation})
     */
    public int truncationLength(int worker, long index) {
        return truncationLength(worker, index, dist.truncation(), true);
    }

    /**
     * @param worker worker (pool slot) id
     * @param index the slot's truncation counter
     * @param range the estimator's truncation range ({@code task.truncation} for backprop,
     *     {@code outer.forward_truncation} for es and pes)
     * @param grid whether k is drawn from {@link #truncationGrid} (backprop: each k is a graph to
     *     build) or log-uniform over every integer of the range (the forward estimators run the
     *     one-step graph k times, so any k costs no graph)
     * @return k of that truncation
     */
    public int truncationLength(int worker, long index, IntRange range, boolean grid) {
        SplittableRandom rng = Seeds.stream(seed, "truncation/w" + worker + "/" + index);
        if (grid) {
            int[] points = truncationGrid(range);
            return points[rng.nextInt(points.length)];
        }
        return logUniform(rng, range);
    }

    /**
     * The inner step a new task starts at. With {@code task.stagger}, a slot's first task starts
     * at ⌊u·T⌋, u uniform in [0, 1) (stream {@code task-offset/w<slot>}), so that its first episode
     * lasts a random fraction of T and the slots of the pool finish their tasks at different
     * times (learned_optimization's random initial iteration offset); every later task, and every
     * task without stagger, starts at 0. φ is fresh either way: only the step counter (and with
     * it the unlabelled batches and the remaining length) moves.
     *
     * @param worker slot id
     * @param index the slot's task counter
     * @param totalSteps the task's T
     * @return t at the task's start
     */
    public long startStep(int worker, long index, int totalSteps) {
        if (!dist.stagger() || index != 0) {
            return 0;
        }
        return (long) Math.floor(Seeds.stream(seed, "task-offset/w" + worker).nextDouble() * totalSteps);
    }

    /**
     * @param worker slot id
     * @param truncation the slot's truncation counter
     * @param pair pair index
     * @return the stream of that pair's perturbation of θ in that truncation
     */
    public SplittableRandom perturbation(int worker, long truncation, int pair) {
        return Seeds.stream(seed, "perturbation/w" + worker + "/" + truncation + "/p" + pair);
    }

    /**
     * @param r width range
     * @return up to {@link #WIDTH_POINTS} distinct log-spaced integers from lo to hi
     */
    public static int[] widthGrid(IntRange r) {
        return logGrid(r, WIDTH_POINTS);
    }

    /**
     * @param r truncation-length range
     * @return the k a run draws from: up to {@link #TRUNCATION_POINTS} distinct log-spaced integers
     *     from lo to hi
     */
    public static int[] truncationGrid(IntRange r) {
        return logGrid(r, TRUNCATION_POINTS);
    }

    private static int[] logGrid(IntRange r, int points) {
        int[] g = new int[points];
        for (int i = 0; i < points; i++) {
            double f = i / (double) (points - 1);
            g[i] = (int) Math.round(Math.exp(Math.log(r.lo()) + f * (Math.log(r.hi()) - Math.log(r.lo()))));
        }
        return Arrays.stream(g).distinct().toArray();
    }

    /** An integer in [lo, hi] whose logarithm is uniform (lo and hi+1 as the continuous ends). */
    static int logUniform(SplittableRandom rng, IntRange r) {
        double lo = Math.log(r.lo());
        double hi = Math.log(r.hi() + 1.0);
        int v = (int) Math.floor(Math.exp(lo + rng.nextDouble() * (hi - lo)));
        return Math.max(r.lo(), Math.min(r.hi(), v));
    }
}
