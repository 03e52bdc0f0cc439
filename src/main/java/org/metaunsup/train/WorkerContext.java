package org.metaunsup.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.metaunsup.BadInputException;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.DatasetMix;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.data.Augmentation;
import org.metaunsup.data.DataSplits;
import org.metaunsup.data.Datasets;
import org.metaunsup.data.Task;
import org.metaunsup.data.TaskConfig;
import org.metaunsup.data.TaskSampler;
import org.metaunsup.rule.Theta;
import org.metaunsup.unroll.GraphStore;
import org.metaunsup.unroll.ObjectiveGraph;
import org.metaunsup.unroll.RuleStep;
import org.metaunsup.unroll.UnrollGraphCache;
import org.metaunsup.util.NativeBudget;
import org.metaunsup.util.Seeds;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * What one thread needs to run truncations: the training data, the task sampler and its own graph
 * cache. Not thread-safe (the graphs are not): one per worker thread, or per Spark executor thread.
 */
public final class WorkerContext implements AutoCloseable {

    /**
     * System property that sets the memory (MiB) one thread's cached graphs may hold; without it,
     * {@link #DEFAULT_GRAPH_SHARE} of the native memory limit split among the threads.
     */
    public static final String GRAPH_CACHE_MB_PROPERTY = "metaunsup.graph_cache_mb";

    /**
     * Share of the JVM's native memory limit that all threads' graph caches may hold together. The
     * rest is each thread's working set of a pass (1–2 GB at small K=10) and the JVM itself.
     */
    static final double DEFAULT_GRAPH_SHARE = 0.4;

    private final ExperimentConfig config;
    private final TaskDraws draws;
    /** One sampler per dataset of {@code task.datasets}, in its order. */
    private final TaskSampler[] samplers;
    private final UnrollGraphCache graphs;
    private final GraphCachePool pool;
    private final long budget;
    private final DataType dtype;
    private Task lastTask;
    /** The forward estimators' graphs, by architecture (small: one step, no gradient function). */
    private final Map<String, ForwardGraphs> forward = new HashMap<>();

    /**
     * The graphs the forward estimators (es, pes) step a task with.
     *
     * @param step the one-step graph of the architecture
     * @param objective its objective graph
     */
    public record ForwardGraphs(RuleStep step, ObjectiveGraph objective) {}

    /**
     * @param config the run's config
     * @param seed run seed
     * @param dtype floating type of the graphs
     */
    public WorkerContext(ExperimentConfig config, long seed, DataType dtype) {
        this(config, seed, dtype, Runtime.getRuntime().availableProcessors());
    }

    /**
     * @param config the run's config
     * @param seed run seed
     * @param dtype floating type of the graphs
     * @param threads worker threads of this JVM that share its memory (each has its own context)
     */
    public WorkerContext(ExperimentConfig config, long seed, DataType dtype, int threads) {
        this(config, seed, dtype, threads, null);
    }

    /**
     * @param config the run's config
     * @param seed run seed
     * @param dtype floating type of the graphs
     * @param threads worker threads of this JVM that share its memory (each has its own context)
     * @param pool where the graph cache is borrowed from and handed back to on {@link #close()}
     *     (the engine's), or null for a cache of this context's own
     */
    public WorkerContext(ExperimentConfig config, long seed, DataType dtype, int threads, GraphCachePool pool) {
        this.config = config;
        this.pool = pool;
        this.budget = graphBudget(threads);
        this.dtype = dtype;
        this.draws = new TaskDraws(seed, config.task(), config.base().inputWidth(), config.base().topWidth());
        TaskConfig tc = taskConfig(config);
        List<DataSplits> sets = mixData(config);
        this.samplers = new TaskSampler[sets.size()];
        for (int i = 0; i < samplers.length; i++) {
            samplers[i] = new TaskSampler(sets.get(i).train(), tc);
        }
        this.graphs = pool == null
                ? UnrollGraphCache.byMemory(config.graph(), budget, freeHiddenWidths()).withStore(GraphStore.installed())
                : pool.borrow(config.graph(), budget);
    }

    /** System property: {@code false} gives every architecture its own graphs (to measure against). */
    public static final String FREE_WIDTHS_PROPERTY = "metaunsup.free_widths";

    /**
     * Whether workers run one graph per (depth, k) for every hidden width: the default, since the
     * numbers are the same bit for bit as with a graph per architecture and a run then builds a few
     * graphs instead of one for nearly every task ({@code -Dmetaunsup.free_widths=false} turns it
     * off, for measuring).
     *
     * @return the choice of this JVM
     */
    public static boolean freeHiddenWidths() {
        return !"false".equalsIgnoreCase(System.getProperty(FREE_WIDTHS_PROPERTY, "true"));
    }

    /**
     * @param threads worker threads sharing this JVM
     * @return bytes one thread's graph cache may hold
     */
    static long graphBudget(int threads) {
        return NativeBudget.bytesPerThread(GRAPH_CACHE_MB_PROPERTY, DEFAULT_GRAPH_SHARE, threads);
    }

    /** Hands this context's graphs back to its pool, if any; the context is not used afterwards. */
    @Override
    public void close() {
        if (pool != null) {
            pool.giveBack(config.graph(), budget, graphs);
        }
    }

    /** The task shape of a config: the objective's N-way, k-shot, and the augmentation (for every dataset). */
    private static TaskConfig taskConfig(ExperimentConfig config) {
        return TaskConfig.forObjective(config.objective())
                .withAugmentation("alphabet".equals(config.task().augmentation()) ? Augmentation.ALPHABET
                        : Augmentation.NONE);
    }

    /**
     * The meta-training data of a config: with {@code task.datasets = alphabet} (every built-in
     * config), the rendered alphabet's training faces at the size the config's input width asks for
     * (base.input = side²), as before the key existed; with a mix, a record naming the mix whose
     * files are those of every dataset in it and whose train part is the first dataset's (the
     * workers draw from each dataset's own train part).
     *
     * @param config the config
     * @return the loaded splits
     * @throws BadInputException when base.input is not the square of a size that divides 28, or a
     *     dataset of the mix cannot give the config's tasks
     */
    public static DataSplits trainingData(ExperimentConfig config) {
        List<DataSplits> sets = mixData(config);
        if (sets.size() == 1) {
            return sets.get(0);
        }
        List<DataSplits.FileCheck> files = new ArrayList<>();
        for (DataSplits d : sets) {
            for (DataSplits.FileCheck f : d.files()) {
                if (files.stream().noneMatch(g -> g.path().equals(f.path()))) {
                    files.add(f);
                }
            }
        }
        String name = config.task().datasets().toString().replaceAll("(alphabet|glyphs)", "$1" + side(config));
        return new DataSplits(name, sets.get(0).train(), null, List.copyOf(files));
    }

    /**
     * Loads every dataset of {@code task.datasets} at the config's size and checks that each can
     * give a task: enough classes with support + query + 1 images, and an unlabelled pool (the
     * images of the task's classes left after support and query) of at least {@code inner.batch}.
     */
    private static List<DataSplits> mixData(ExperimentConfig config) {
        int side = side(config);
        TaskConfig tc = taskConfig(config);
        List<DataSplits> out = new ArrayList<>();
        for (DatasetMix.Entry e : config.task().datasets().entries()) {
            DataSplits d = Datasets.load(e.name() + side);
            int[] counts = d.train().classCounts();
            int[] sorted = Arrays.stream(counts).filter(c -> c >= tc.supportPerClass() + tc.queryPerClass() + 1)
                    .sorted().toArray();
            int ways = tc.ways();
            long pool = 0;
            for (int i = 0; i < Math.min(ways, sorted.length); i++) {
                pool += sorted[i] - tc.supportPerClass() - tc.queryPerClass();
            }
            if (sorted.length >= ways && pool < config.innerBatch()) {
                throw new BadInputException("config " + config.name() + ": task.datasets: a " + ways + "-way task of "
                        + e.name() + side + " can leave only " + pool + " unlabelled images (classes of " + sorted[0]
                        + " images less " + (tc.supportPerClass() + tc.queryPerClass())
                        + " support and query), fewer than inner.batch = " + config.innerBatch());
            }
            out.add(d);
        }
        return out;
    }

    /**
     * @param config a config
     * @return the image side √base.input
     * @throws BadInputException when base.input is not a square whose side divides 28
     */
    public static int side(ExperimentConfig config) {
        int d = config.base().inputWidth();
        int side = (int) Math.round(Math.sqrt(d));
        if (side * side != d || 28 % side != 0) {
            throw new BadInputException("config " + config.name() + ": base.input = " + d + " must be the square "
                    + "of an image size that divides 28 (16, 49, 196, 784) to meta-train on the alphabet");
        }
        return side;
    }

    /** @return the config */
    public ExperimentConfig config() {
        return config;
    }

    /** @return the random choices of the run */
    public TaskDraws draws() {
        return draws;
    }

    /** @return this thread's graph cache */
    public UnrollGraphCache graphs() {
        return graphs;
    }

    /**
     * @param base a task's architecture
     * @param theta any θ of the run (only its spec matters: each use loads its own values)
     * @return this thread's one-step and objective graphs of that architecture, built on first use
     */
    public ForwardGraphs forwardGraphs(BaseModelConfig base, Theta theta) {
        return forward.computeIfAbsent(Arrays.toString(base.widths()) + base.activation(),
                k -> new ForwardGraphs(new RuleStep(config.graph(), base, theta, dtype),
                        new ObjectiveGraph(base, config.objective(), dtype)));
    }

    /** @return the graphs' floating type */
    public DataType dtype() {
        return dtype;
    }

    /**
     * @param seed task seed
     * @return the task (the last one is kept: a worker runs many truncations of one task)
     */
    public Task task(long seed) {
        if (lastTask == null || lastTask.seed() != seed) {
            lastTask = samplers[datasetOf(config.task().datasets(), seed)].sample(seed);
        }
        return lastTask;
    }

    /**
     * The dataset a task is drawn from: a pure function of the task seed (stream
     * {@code task-dataset}), so a resumed run or another engine draws the same; no draw at all
     * for a single dataset, which keeps single-dataset runs identical to those before mixes.
     *
     * @param mix the mix
     * @param taskSeed the task seed
     * @return index into the mix's entries
     */
    public static int datasetOf(DatasetMix mix, long taskSeed) {
        return mix.single() ? 0 : mix.pick(Seeds.stream(taskSeed, "task-dataset").nextDouble());
    }
}
