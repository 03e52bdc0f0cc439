package org.metaunsup.data;

import java.lang.ref.SoftReference;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Loads datasets by name (see {@link DatasetSpec} for the grammar): {@code mnist},
 * {@code mnist14}, {@code alphabet}, {@code alphabet14}, {@code glyphs}, {@code glyphs14},
 * {@code stacked-mnist},
 * {@code idx:IMAGES[,LABELS][,classes=N]}. Every file is validated before use. Loaded sets
 * are immutable and cached (softly, so memory pressure can drop them) per data folder,
 * so repeated loads in one JVM are cheap.
 */
public final class Datasets {

    private static final Map<String, SoftReference<DataSplits>> CACHE = new HashMap<>();

    private Datasets() {}

    /**
     * Loads a dataset by name.
     *
     * @param spec e.g. {@code mnist14} or {@code idx:/path/images.gz,/path/labels.gz}
     * @return its splits, at the size the name asks for
     * @throws org.metaunsup.BadInputException for an unknown name or any bad file
     */
    public static DataSplits load(String spec) {
        return load(DatasetSpec.parse(spec));
    }

    /**
     * Loads a parsed dataset spec.
     *
     * @param spec the parsed spec
     * @return its splits, at the size the spec asks for
     */
    public static DataSplits load(DatasetSpec spec) {
        DataSplits full = switch (spec.base()) {
            case "mnist" -> cached("mnist", Mnist::load);
            case "alphabet" -> cached("alphabet", Alphabet::load);
            case "glyphs" -> cached("glyphs", Glyphs::load);
            case "stacked-mnist" -> cached("stacked-mnist", Datasets::stacked);
            case "idx" -> idx(spec);
            default -> throw new IllegalStateException(spec.base());
        };
        if (spec.size() == 0) {
            return full;
        }
        String key = spec.base() + spec.size();
        return spec.base().equals("idx") ? full.downsample(spec.size())
                : cached(key, () -> full.downsample(spec.size()));
    }

    private static DataSplits stacked() {
        DataSplits m = cached("mnist", Mnist::load);
        return new DataSplits("stacked-mnist",
                StackedMnist.of("stacked-mnist/train", m.train(), m.train().count(), StackedMnist.DEFAULT_SEED),
                StackedMnist.of("stacked-mnist/test", m.test(), m.test().count(), StackedMnist.DEFAULT_SEED + 1),
                m.files());
    }

    private static DataSplits idx(DatasetSpec spec) {
        String name = "idx(" + spec.images().getFileName() + ")";
        Dataset d = IdxDatasetLoader.load(new IdxDatasetLoader.Request(name, spec.images(),
                spec.labels(), spec.numClasses(), null, null, null));
        String none = "no known checksum";
        List<DataSplits.FileCheck> files = spec.labels() == null
                ? List.of(new DataSplits.FileCheck(spec.images().toString(), null, none))
                : List.of(new DataSplits.FileCheck(spec.images().toString(), null, none),
                        new DataSplits.FileCheck(spec.labels().toString(), null, none));
        return new DataSplits(name, d, null, files);
    }

    private static synchronized DataSplits cached(String name, Supplier<DataSplits> loader) {
        String key = name + "@" + DataLocator.candidates();
        SoftReference<DataSplits> ref = CACHE.get(key);
        DataSplits d = ref == null ? null : ref.get();
        if (d == null) {
            d = loader.get();
            CACHE.put(key, new SoftReference<>(d));
        }
        return d;
    }
}
