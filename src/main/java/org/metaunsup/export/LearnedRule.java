package org.metaunsup.export;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntConsumer;
import org.metaunsup.BadInputException;
import org.metaunsup.basemodel.PhiState;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.ConfigLoader;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.rule.Theta;
import org.metaunsup.util.CustomOps;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A learned unsupervised update rule, ready to train base models: θ with its card. Load one
 * with {@link #load} (one call: registers our ops, validates the file; nothing else of the
 * process changes: nd4j's thread counts, the runtime policy and {@code System.out} stay the
 * caller's) and train a base model
 * of <b>any</b> architecture whose top width is {@link #topUnits()} on unlabelled data:
 *
 * <pre>{@code
 * LearnedRule rule = LearnedRule.load(Path.of("models/small.theta.fb"));   // or ShippedRules.find(config).rule()
 * BaseModelConfig arch = new BaseModelConfig(new int[] {784, 256, 128, rule.topUnits()}, Activation.RELU);
 * BaseModel model = rule.train(arch, batches, 500, 42L, null);  // batches: [rule.innerBatch(), 784] arrays
 * INDArray features = model.features(x);
 * }</pre>
 *
 * <p>The one-step graph is built for the caller's architecture from the loaded θ; the graph
 * stored in the file is only used by plain-SameDiff readers. Inputs keep the caller's order
 * (the identity input permutation: the rule is meta-trained to be invariant to it).
 */
public final class LearnedRule {

    private final ThetaCard card;
    private final Theta theta;
    private final Path source;
    private final ExperimentConfig config;

    private LearnedRule(ThetaCard card, Theta theta, Path source) {
        this.card = card;
        this.theta = theta;
        this.source = source;
        this.config = card.toConfig();
    }

    /**
     * Loads and validates a θ file (docs/THETA_FORMAT.md).
     *
     * @param file a file written by {@link ThetaFile#write}
     * @return the rule
     * @throws BadInputException (one line naming the file) for a missing, truncated or foreign
     *     file, an unknown format version or inconsistent θ
     */
    public static LearnedRule load(Path file) {
        ThetaFile.Contents c = ThetaFile.read(file);
        return new LearnedRule(c.card(), c.theta(), file);
    }

    /**
     * The meta-initialised (never meta-trained) rule of a config: what {@code random} means on
     * the command line. The rule used when none is named is the shipped one, {@link ShippedRules}.
     *
     * @param configNameOrPath a built-in config name or a config file
     * @param seed θ init seed
     * @return the rule (card with outer step 0)
     */
    public static LearnedRule metaInitialised(String configNameOrPath, long seed) {
        CustomOps.register();
        ExperimentConfig cfg = ConfigLoader.load(configNameOrPath);
        Theta theta = CoreAdapter.initTheta(cfg, seed, DataType.FLOAT);
        ThetaCard card = ThetaCard.of(cfg, 0, Map.of("theta_init", seed), Map.of());
        return new LearnedRule(card, theta, null);
    }

    /**
     * A rule from θ in memory (e.g. during meta-training).
     *
     * @param theta θ
     * @param card its card
     * @return the rule
     */
    public static LearnedRule of(Theta theta, ThetaCard card) {
        CustomOps.register();
        if (!card.rule().toConfig().equals(CoreAdapter.rule(theta)) || card.topUnits() != CoreAdapter.topUnits(theta)) {
            throw new IllegalArgumentException("card does not describe this theta");
        }
        return new LearnedRule(card, theta, null);
    }

    /**
     * Writes this rule as a θ file (atomically).
     *
     * @param file target
     * @return the card as written
     * @throws java.io.IOException on write failure
     */
    public ThetaCard save(Path file) throws IOException {
        return ThetaFile.write(file, theta, card);
    }

    /** @return the card */
    public ThetaCard card() {
        return card;
    }

    /** @return θ (canonical layout) */
    public Theta theta() {
        return theta;
    }

    /** @return the file it was loaded from, if any */
    public Optional<Path> source() {
        return Optional.ofNullable(source);
    }

    /** @return the base model top width θ applies to */
    public int topUnits() {
        return card.topUnits();
    }

    /** @return unlabelled examples per inner step (the meta-training batch) */
    public int innerBatch() {
        return card.innerBatch();
    }

    /** @return true when θ was never meta-trained (outer step 0) */
    public boolean isMetaInitialised() {
        return card.outerStep() == 0;
    }

    /** @return e.g. {@code rule models/x.theta.fb (small, outer step 1200, commit abc1234)} */
    public String describe() {
        String what = isMetaInitialised() ? "meta-initialised rule" : "rule";
        return what + (source == null ? "" : " " + source) + " (" + card.config() + ", top width " + card.topUnits()
                + ", outer step " + card.outerStep() + ", commit " + card.commit() + ")";
    }

    /**
     * Checks that a base model shape can be trained by this rule.
     *
     * @param arch base model shape
     * @throws BadInputException when its top width is not {@link #topUnits()}
     */
    public void checkArchitecture(BaseModelConfig arch) {
        if (arch.topWidth() != card.topUnits()) {
            throw new BadInputException("the " + describe() + " applies to base models with top width "
                    + card.topUnits() + "; architecture " + arch.describe() + " has top width " + arch.topWidth());
        }
    }

    /**
     * Starts training a fresh base model (float32).
     *
     * @param arch base model shape; its top width must be {@link #topUnits()}
     * @param seed init seed of φ
     * @return a trainer holding φ₀
     */
    public Trainer trainer(BaseModelConfig arch, long seed) {
        return trainer(arch, seed, DataType.FLOAT);
    }

    /**
     * @param arch base model shape; its top width must be {@link #topUnits()}
     * @param seed init seed of φ
     * @param dtype floating type of the computation
     * @return a trainer holding φ₀
     */
    public Trainer trainer(BaseModelConfig arch, long seed, DataType dtype) {
        return trainer(arch, CoreAdapter.initPhi(arch, seed, dtype), dtype);
    }

    /**
     * Continues training given base params (e.g. a model trained earlier).
     *
     * @param arch base model shape; its top width must be {@link #topUnits()}
     * @param phi0 starting base params of that shape
     * @param dtype floating type of the computation
     * @return a trainer holding phi0
     */
    public Trainer trainer(BaseModelConfig arch, PhiState phi0, DataType dtype) {
        checkArchitecture(arch);
        new BaseModel(arch, phi0, 0);   // shape check
        return new Trainer(arch, CoreAdapter.stepGraph(config, arch, theta, dtype), phi0);
    }

    /**
     * Trains a fresh base model for a number of inner steps.
     *
     * @param arch base model shape; its top width must be {@link #topUnits()}
     * @param batches unlabelled batches [{@link #innerBatch()}, n_0], values in [0, 1]; at least
     *     {@code steps} of them
     * @param steps inner steps
     * @param seed init seed of φ
     * @param progress called with the number of steps done after each step (may be null)
     * @return the trained base model
     */
    public BaseModel train(BaseModelConfig arch, Iterator<INDArray> batches, int steps, long seed,
                           IntConsumer progress) {
        Trainer t = trainer(arch, seed);
        for (int i = 0; i < steps; i++) {
            if (!batches.hasNext()) {
                throw new IllegalArgumentException("unlabelled batches ran out after " + i + " of " + steps + " steps");
            }
            t.step(batches.next());
            if (progress != null) {
                progress.accept(i + 1);
            }
        }
        return t.model();
    }

    /** Applies the rule one inner step at a time to one base model. Not thread-safe. */
    public static final class Trainer {
        private final BaseModelConfig arch;
        private final CoreAdapter.StepGraph graph;
        private PhiState phi;
        private int steps;

        private Trainer(BaseModelConfig arch, CoreAdapter.StepGraph graph, PhiState phi0) {
            this.arch = arch;
            this.graph = graph;
            this.phi = phi0;
        }

        /** @return unlabelled examples each step takes */
        public int batch() {
            return graph.batch();
        }

        /**
         * One inner step: p ← (1−η)p − η·g for every base param (docs/METHOD.md#rule-step).
         *
         * @param x unlabelled batch [{@link #batch()}, n_0]
         * @return the model after the step
         */
        public BaseModel step(INDArray x) {
            if (x.rank() != 2 || x.size(0) != graph.batch() || x.size(1) != arch.inputWidth()) {
                throw new IllegalArgumentException("an inner step takes a batch of shape [" + graph.batch() + ", "
                        + arch.inputWidth() + "], got " + Arrays.toString(x.shape()));
            }
            // Whether to collect before a pass is the process owner's choice (unroll.RuntimePolicy):
            // a library never calls System.gc() on its caller's JVM.
            CoreAdapter.beforeStep();
            PhiState next = graph.step(phi, x.castTo(graph.dtype()));
            if (!next.isFinite()) {
                throw new IllegalStateException("base params became non-finite at inner step " + (steps + 1));
            }
            phi = next;
            steps++;
            return model();
        }

        /** @return the model as trained so far */
        public BaseModel model() {
            return new BaseModel(arch, phi, steps);
        }
    }
}
