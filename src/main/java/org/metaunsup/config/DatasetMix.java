package org.metaunsup.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The datasets meta-training tasks are drawn from, with their weights ({@code task.datasets}):
 * each task first draws one dataset with probability weight / Σ weights (from its own seeded
 * stream), then its classes from that dataset's training split. A single entry draws every task
 * from it, with no extra random draw, so {@code task.datasets = alphabet} is exactly the
 * behaviour from before the key existed.
 *
 * <p>Text form: {@code name[:weight](,name[:weight])*}, e.g. {@code glyphs:0.8,alphabet:0.2};
 * a missing weight is 1. Names are those of {@link #NAMES}, without a size suffix: the size
 * comes from {@code base.input}.
 *
 * @param entries the datasets in the order written, each once
 */
public record DatasetMix(List<Entry> entries) {

    /** Datasets a task can be drawn from (labelled, with a training split of letters). */
    public static final List<String> NAMES = List.of("alphabet", "glyphs");

    /** Mix of configs written before {@code task.datasets} existed. */
    public static final DatasetMix ALPHABET = new DatasetMix(List.of(new Entry("alphabet", 1.0)));

    /**
     * One dataset of the mix.
     *
     * @param name a name of {@link DatasetMix#NAMES}
     * @param weight relative weight, finite and > 0
     */
    public record Entry(String name, double weight) {}

    /** Checks the entries: known names, each once, finite positive weights. */
    public DatasetMix {
        entries = List.copyOf(entries);
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("task.datasets: no dataset");
        }
        Set<String> seen = new HashSet<>();
        for (Entry e : entries) {
            if (!NAMES.contains(e.name()) || !seen.add(e.name()) || !(e.weight() > 0) || !Double.isFinite(e.weight())) {
                throw new IllegalArgumentException("task.datasets: bad entry " + e);
            }
        }
    }

    /**
     * @param text e.g. {@code glyphs:0.8,alphabet:0.2}
     * @return the mix, or {@code null} when the text is not one (the key table reports it)
     */
    public static DatasetMix parseOrNull(String text) {
        List<Entry> out = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String p = part.trim();
            int colon = p.indexOf(':');
            String name = colon < 0 ? p : p.substring(0, colon).trim();
            double w;
            try {
                w = colon < 0 ? 1.0 : Double.parseDouble(p.substring(colon + 1).trim());
            } catch (NumberFormatException e) {
                return null;
            }
            out.add(new Entry(name, w));
        }
        try {
            return new DatasetMix(out);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** @return whether every task comes from one dataset (no dataset draw) */
    public boolean single() {
        return entries.size() == 1;
    }

    /**
     * @param u a uniform number in [0, 1)
     * @return the index of the entry it falls on (cumulative normalised weights)
     */
    public int pick(double u) {
        double total = 0;
        for (Entry e : entries) {
            total += e.weight();
        }
        double acc = 0;
        for (int i = 0; i < entries.size(); i++) {
            acc += entries.get(i).weight() / total;
            if (u < acc) {
                return i;
            }
        }
        return entries.size() - 1;
    }

    /** @return the text form; a single entry of weight 1 is its bare name */
    @Override
    public String toString() {
        if (single() && entries.get(0).weight() == 1.0) {
            return entries.get(0).name();
        }
        StringBuilder b = new StringBuilder();
        for (Entry e : entries) {
            b.append(b.length() == 0 ? "" : ",").append(e.name()).append(':')
                    .append(e.weight() == Math.rint(e.weight()) && Math.abs(e.weight()) < 1e15
                            ? String.format(Locale.ROOT, "%.0f", e.weight()) : Double.toString(e.weight()));
        }
        return b.toString();
    }
}
