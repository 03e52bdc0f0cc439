package org.metaunsup.export;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.metaunsup.basemodel.BaseModelGraph;
import org.metaunsup.basemodel.PhiState;
import org.metaunsup.basemodel.PhiVars;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.ConfigKeys;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.config.GraphConfig;
import org.metaunsup.config.RuleConfig;
import org.metaunsup.rule.Theta;
import org.metaunsup.rule.ThetaGraph;
import org.metaunsup.rule.ThetaSpec;
import org.metaunsup.unroll.GraphNames;
import org.metaunsup.unroll.RuleStep;
import org.metaunsup.unroll.RuntimePolicy;
import org.metaunsup.unroll.TruncationInputs;
import org.metaunsup.unroll.UnrollGraph;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The one place where the {@code export} and {@code dl4j} packages touch the core's types
 * ({@code rule.Theta}, {@code rule.ThetaSpec}, {@code unroll.UnrollGraph}, {@code basemodel.*},
 * {@code config.ExperimentConfig}). Everything else in these packages speaks in canonical θ
 * names and plain arrays, so a change of the core's internals is absorbed here.
 */
public final class CoreAdapter {

    private CoreAdapter() {}

    /**
     * @param rule rule widths
     * @param topUnits base model top width n_L
     * @return canonical θ tensor names (without {@code theta/}) and shapes, in canonical order
     */
    public static Map<String, long[]> thetaShapes(RuleConfig rule, int topUnits) {
        Map<String, long[]> m = new LinkedHashMap<>();
        for (ThetaSpec.Tensor t : new ThetaSpec(rule, topUnits).tensors()) {
            m.put(t.name(), t.shape());
        }
        return m;
    }

    /** @return prefix of every θ variable name in a graph */
    public static String thetaPrefix() {
        return ThetaGraph.PREFIX;
    }

    /**
     * @param rule rule widths
     * @param topUnits top width
     * @param values one array per canonical name
     * @return θ
     */
    public static Theta theta(RuleConfig rule, int topUnits, Map<String, INDArray> values) {
        return new Theta(new ThetaSpec(rule, topUnits), values);
    }

    /**
     * @param theta θ
     * @return its arrays by canonical name, canonical order (live)
     */
    public static Map<String, INDArray> values(Theta theta) {
        return theta.values();
    }

    /** @return the rule widths θ was built for */
    public static RuleConfig rule(Theta theta) {
        return theta.spec().rule();
    }

    /** @return the top width θ was built for */
    public static int topUnits(Theta theta) {
        return theta.spec().topUnits();
    }

    /**
     * Meta-initialised θ (docs/METHOD.md#theta-init).
     *
     * @param cfg config (rule widths; the top width is the config's base top width)
     * @param seed init seed
     * @param dtype array type
     * @return θ
     */
    public static Theta initTheta(ExperimentConfig cfg, long seed, DataType dtype) {
        return Theta.init(new ThetaSpec(cfg.rule(), cfg.base().topWidth()), seed, dtype);
    }

    /**
     * @param name config name recorded in it
     * @param properties resolved config keys (the file format)
     * @return the config
     */
    public static ExperimentConfig config(String name, Map<String, String> properties) {
        return ConfigKeys.fromRecord(name, properties);
    }

    /**
     * @param cfg a config
     * @param arch a base model shape
     * @return the config with that base model
     */
    public static ExperimentConfig withBase(ExperimentConfig cfg, BaseModelConfig arch) {
        return cfg.withBase(arch);
    }

    /**
     * @param cfg a run's config (base model, objective)
     * @param card a θ card
     * @return cfg with the card's rule widths, η and inner batch (what the rule was made with)
     */
    public static ExperimentConfig withRuleOf(ExperimentConfig cfg, ThetaCard card) {
        ExperimentConfig r = card.toConfig();
        return new ExperimentConfig(cfg.name(),
                new GraphConfig(cfg.base(), r.rule(), cfg.objective(), r.innerBatch(), r.eta()), cfg.task(), cfg.outer());
    }

    /**
     * The graph of one inner step for one architecture: placeholders φ ({@code phi/W1} …), the
     * permutation matrix and one unlabelled batch; θ as variables {@code theta/<name>}; outputs
     * {@code unroll/phi/...}.
     */
    public static final class StepGraph {
        private final RuleStep step;
        private final UnrollGraph graph;
        private final int[] identity;

        private StepGraph(RuleStep step) {
            this.step = step;
            this.graph = step.graph();
            this.identity = new int[graph.base().inputWidth()];
            for (int i = 0; i < identity.length; i++) {
                identity[i] = i;
            }
        }

        /** @return the SameDiff graph */
        public SameDiff sameDiff() {
            return graph.sameDiff();
        }

        /** @return unlabelled examples the graph takes per step */
        public int batch() {
            return graph.batch();
        }

        /** @return its floating type */
        public DataType dtype() {
            return graph.dtype();
        }

        /**
         * @param phi base params before the step
         * @param x unlabelled batch [batch, D], in the user's input order (identity permutation)
         * @return placeholder values by name
         */
        public Map<String, INDArray> placeholders(PhiState phi, INDArray x) {
            return new TruncationInputs(phi, identity, List.of(x), null, null, null, null, 0)
                    .placeholders(graph);
        }

        /** @return the names of the updated φ outputs (W, V, b per layer) */
        public List<String> outputs() {
            return graph.outputPhiNames();
        }

        /**
         * One inner step.
         *
         * @param phi base params before
         * @param x unlabelled batch [batch, D]
         * @return base params after
         */
        public PhiState step(PhiState phi, INDArray x) {
            return step.apply(phi, identity, x);
        }

        /**
         * @param outputs values returned by the graph
         * @return the updated base params among them
         */
        public PhiState phiFrom(Map<String, INDArray> outputs) {
            return TruncationInputs.phiAfter(graph, outputs);
        }
    }

    /**
     * @param cfg rule widths, η, inner batch
     * @param arch base model shape (its top width must be θ's)
     * @param theta θ
     * @param dtype floating type
     * @return the one-step graph
     */
    public static StepGraph stepGraph(ExperimentConfig cfg, BaseModelConfig arch, Theta theta, DataType dtype) {
        return new StepGraph(new RuleStep(cfg.graph().withBase(arch), arch, theta, dtype));
    }

    /**
     * @param arch shape
     * @param seed init seed
     * @param dtype array type
     * @return fresh base params (docs/METHOD.md#base-model)
     */
    public static PhiState initPhi(BaseModelConfig arch, long seed, DataType dtype) {
        return PhiState.init(arch, seed, dtype);
    }

    /**
     * Forward pass of the base model with batch statistics, as the rule and the meta-objective
     * see it: placeholder {@code x} [any batch, D], output {@code features} (x^L).
     */
    public static final class ForwardGraph {
        private final SameDiff sd = SameDiff.create();
        private final BaseModelConfig arch;
        private final DataType dtype;

        private ForwardGraph(BaseModelConfig arch, DataType dtype) {
            this.arch = arch;
            this.dtype = dtype;
            List<SDVariable> w = new ArrayList<>();
            List<SDVariable> b = new ArrayList<>();
            for (int l = 1; l <= arch.depth(); l++) {
                w.add(sd.placeHolder(GraphNames.phiW(l), dtype, arch.width(l - 1), arch.width(l)));
                b.add(sd.placeHolder(GraphNames.phiB(l), dtype, arch.width(l)));
            }
            SDVariable x = sd.placeHolder("x", dtype, -1, arch.inputWidth());
            SDVariable top = BaseModelGraph.forward(sd, new PhiVars(w, w, b), x, arch.activation()).top();
            sd.identity("features", top);
        }

        /**
         * @param phi base params
         * @param x inputs [n, D]; BN uses the statistics of these n rows
         * @return x^L [n, top]
         */
        public INDArray features(PhiState phi, INDArray x) {
            Map<String, INDArray> ph = new HashMap<>();
            for (int l = 1; l <= arch.depth(); l++) {
                ph.put(GraphNames.phiW(l), phi.w().get(l - 1).castTo(dtype));
                ph.put(GraphNames.phiB(l), phi.b().get(l - 1).castTo(dtype));
            }
            ph.put("x", x.castTo(dtype));
            return sd.output(ph, "features").get("features");
        }
    }

    /**
     * @param arch shape
     * @param dtype floating type
     * @return the batch-statistics forward graph of that shape
     */
    public static ForwardGraph forwardGraph(BaseModelConfig arch, DataType dtype) {
        return new ForwardGraph(arch, dtype);
    }

    /**
     * What the process owner chose to do before a rule step ({@link RuntimePolicy#beforeStep()} of
     * the installed policy; nothing unless one was installed).
     */
    static void beforeStep() {
        RuntimePolicy.installed().beforeStep();
    }
}
