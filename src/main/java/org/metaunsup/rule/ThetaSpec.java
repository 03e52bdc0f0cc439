package org.metaunsup.rule;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.metaunsup.config.RuleConfig;

/**
 * The list of θ tensors of a rule, with canonical names and shapes
 * (docs/METHOD.md#canonical-names) and how each
 * is initialised (§9). Convolution weights are [out, in, kernel], linear weights [in, out].
 * The shape of θ depends on the rule widths and on the base model's top width n_L, because
 * the top-down network mixes all top units.
 */
public final class ThetaSpec {

    /** How a tensor is initialised. */
    public enum Init {
        /** Truncated normal with std 1/√fanIn, resampled beyond 2 std. */
        TRUNCATED_NORMAL,
        /** All zeros (biases, BN offsets). */
        ZERO,
        /** All 0.1 (the 12→1 mix weights). */
        POINT_ONE
    }

    /**
     * One θ tensor.
     *
     * @param name canonical name without the {@code theta/} prefix, e.g. {@code h.c0.w}
     * @param shape canonical shape
     * @param init initialiser
     * @param fanIn fan-in for {@link Init#TRUNCATED_NORMAL}
     */
    public record Tensor(String name, long[] shape, Init init, int fanIn) {

        public Tensor {
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        /** Value equality (the record default compares the shape array by identity). */
        @Override
        public boolean equals(Object o) {
            return o instanceof Tensor t && name.equals(t.name) && Arrays.equals(shape, t.shape) && init == t.init
                    && fanIn == t.fanIn;
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, Arrays.hashCode(shape), init, fanIn);
        }

        @Override
        public String toString() {
            return name + Arrays.toString(shape);
        }

        /** @return number of entries */
        public long length() {
            long n = 1;
            for (long s : shape) {
                n *= s;
            }
            return n;
        }
    }

    /** Readout map names of the weight-update terms 5–12, in term order (§10). */
    public static final List<String> READOUT_TERMS = List.of("r0", "rbf", "r1", "lin_upper_symm",
            "lin_upper_psd", "lin_lower_symm", "sqr_upper_symm", "sqr_lower_symm");

    /** Number of candidate weight-update terms mixed by the learned Linear(12→1). */
    public static final int TERMS = 12;

    private final RuleConfig rule;
    private final int topUnits;
    private final Map<String, Tensor> tensors;
    private final Map<String, Long> offsets;
    private final long size;

    /**
     * @param rule rule widths
     * @param topUnits base model top width n_L this θ is built for
     */
    public ThetaSpec(RuleConfig rule, int topUnits) {
        this.rule = rule;
        this.topUnits = topUnits;
        Map<String, Tensor> m = new LinkedHashMap<>();
        int t = rule.topWidth();
        int k = rule.kernel();
        conv(m, "top.c0", 1, t, rule.topKernel(), true);
        conv(m, "top.mix1", topUnits, topUnits, k, true);
        conv(m, "top.mix2", topUnits, topUnits, k, true);
        conv(m, "top.c1", t, t, k, true);
        conv(m, "top.c2", t, t, k, true);
        conv(m, "top.out", t, rule.delta(), k, false);
        int h = rule.hidden();
        m.put("h.in.bn", new Tensor("h.in.bn", new long[] {rule.hInputGroup()}, Init.ZERO, 0));
        conv(m, "h.c0", rule.hInputChannels(), h, k, true);
        conv(m, "h.mix0.c0", h, h, k, true);
        conv(m, "h.mix0.c1", h, h, k, true);
        conv(m, "h.c1", h, h, k, true);
        conv(m, "h.mix1.c0", h, h, k, true);
        conv(m, "h.mix1.c1", h, h, k, true);
        linear(m, "delta", h, rule.delta());
        linear(m, "bias", h, 1);
        updateSet(m, "W");
        if (!rule.vSharesW()) {
            updateSet(m, "V");
        }
        this.tensors = Collections.unmodifiableMap(m);
        Map<String, Long> off = new LinkedHashMap<>();
        long n = 0;
        for (Tensor x : m.values()) {
            off.put(x.name(), n);
            n += x.length();
        }
        this.offsets = Collections.unmodifiableMap(off);
        this.size = n;
    }

    private void updateSet(Map<String, Tensor> m, String set) {
        for (String term : READOUT_TERMS) {
            linear(m, set + "." + term + ".top", rule.hidden(), rule.gradChannels());
            if (!term.equals("lin_upper_psd")) {
                linear(m, set + "." + term + ".bot", rule.hidden(), rule.gradChannels());
            }
        }
        m.put(set + ".mix.w", new Tensor(set + ".mix.w", new long[] {TERMS}, Init.POINT_ONE, 0));
        m.put(set + ".mix.b", new Tensor(set + ".mix.b", new long[] {1}, Init.ZERO, 0));
    }

    private static void conv(Map<String, Tensor> m, String block, int in, int out, int kernel, boolean bn) {
        m.put(block + ".w", new Tensor(block + ".w", new long[] {out, in, kernel}, Init.TRUNCATED_NORMAL,
                in * kernel));
        m.put(block + ".b", new Tensor(block + ".b", new long[] {out}, Init.ZERO, 0));
        if (bn) {
            m.put(block + ".bn", new Tensor(block + ".bn", new long[] {out}, Init.ZERO, 0));
        }
    }

    private static void linear(Map<String, Tensor> m, String name, int in, int out) {
        m.put(name + ".w", new Tensor(name + ".w", new long[] {in, out}, Init.TRUNCATED_NORMAL, in));
        m.put(name + ".b", new Tensor(name + ".b", new long[] {out}, Init.ZERO, 0));
    }

    /** @return the rule widths */
    public RuleConfig rule() {
        return rule;
    }

    /** @return the base model top width this θ is built for */
    public int topUnits() {
        return topUnits;
    }

    /** @return all tensors in canonical order */
    public List<Tensor> tensors() {
        return new ArrayList<>(tensors.values());
    }

    /**
     * @param name canonical name without prefix
     * @return the tensor
     */
    public Tensor tensor(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no theta tensor " + name);
        }
        return t;
    }

    /** @return total number of θ entries, the length of the flat buffer */
    public long size() {
        return size;
    }

    /**
     * @param name canonical name without prefix
     * @return where the tensor starts in the flat buffer: tensors lie in canonical order, each
     *     in row-major order of its canonical shape
     */
    public long offset(String name) {
        Long o = offsets.get(name);
        if (o == null) {
            throw new IllegalArgumentException("no theta tensor " + name);
        }
        return o;
    }

    /**
     * @param other another spec
     * @param what what was built for {@code other}, for the message
     * @throws IllegalArgumentException when the specs differ
     */
    public void requireSame(ThetaSpec other, String what) {
        if (!equals(other)) {
            throw new IllegalArgumentException(what + " belongs to another theta spec (" + other.describe()
                    + ") than " + describe());
        }
    }

    /**
     * A 64-bit digest of the tensor list (names, shapes) and the rule widths that is the same in
     * every JVM and version: written into θ and gradient bytes so that they are never read
     * into another spec.
     *
     * @return the digest
     */
    public long fingerprint() {
        long h = 0xcbf29ce484222325L;
        for (byte b : (rule + ";" + tensors.values()).getBytes(StandardCharsets.UTF_8)) {
            h ^= b;
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** @return a short description: rule widths, top units and entry count */
    public String describe() {
        return "h=" + rule.hidden() + " d=" + rule.delta() + " top=" + rule.topWidth() + " g=" + rule.gradChannels()
                + " kernels=" + rule.topKernel() + "/" + rule.kernel() + (rule.vSharesW() ? "" : " own-V")
                + " n_L=" + topUnits + ", " + size + " entries";
    }

    /** Value equality over the rule widths and the tensor list. */
    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof ThetaSpec s && topUnits == s.topUnits && rule.equals(s.rule)
                && List.copyOf(tensors.values()).equals(List.copyOf(s.tensors.values()));
    }

    @Override
    public int hashCode() {
        return Objects.hash(rule, topUnits, List.copyOf(tensors.values()));
    }

    @Override
    public String toString() {
        return "ThetaSpec[" + describe() + "]";
    }

    /**
     * Names of the readout maps applied to one layer's h, in the column order of the fused
     * readout matrix: for each update set, each term's top map then (if any) its bottom map.
     *
     * @return map names such as {@code W.r0.top}
     */
    public List<String> readoutMaps() {
        List<String> maps = new ArrayList<>();
        for (String set : rule.vSharesW() ? List.of("W") : List.of("W", "V")) {
            for (String term : READOUT_TERMS) {
                maps.add(set + "." + term + ".top");
                if (!term.equals("lin_upper_psd")) {
                    maps.add(set + "." + term + ".bot");
                }
            }
        }
        return maps;
    }
}
