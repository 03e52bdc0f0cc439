package org.metaunsup.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.metaunsup.data.DataSplits;
import org.metaunsup.data.Dataset;
import org.metaunsup.data.DatasetSpec;
import org.metaunsup.data.DatasetSummary;
import org.metaunsup.data.Datasets;
import org.metaunsup.data.Glyphs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code data describe}: validates a dataset and prints its counts, shape and balance. */
@Command(name = "describe", mixinStandardHelpOptions = true,
        description = "Load and validate a dataset; print counts, image shape, class balance, "
                + "value range and checksum status.")
final class DescribeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--dataset", required = true, paramLabel = "NAME",
            description = "One of: " + DatasetSpec.KNOWN + ".")
    String dataset;

    @Option(names = "--size", paramLabel = "N", description = "Downsample to NxN by area averaging (N divides the image size).")
    Integer size;

    @Override
    public Integer call() {
        DataSplits d = Datasets.load(dataset);
        if (size != null) {
            d = d.downsample(size);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("dataset: " + d.name());
        out.println("files:");
        for (DataSplits.FileCheck f : d.files()) {
            out.println("  " + f.path() + "  " + (f.md5() == null ? "" : "md5 " + f.md5() + "  ") + f.status());
        }
        boolean glyphs = DatasetSpec.parse(dataset).base().equals("glyphs");
        print(out, "train", d.train());
        if (glyphs) {
            printScripts(out, "train", d.train());
        }
        if (d.hasTest()) {
            // The glyph corpus's second part is its validation scripts, not a test set.
            print(out, glyphs ? "validation" : "test", d.test());
            if (glyphs) {
                printScripts(out, "validation", d.test());
                out.println("test: the alphabet's test faces (data describe --dataset alphabet)");
            }
        }
        out.flush();
        return 0;
    }

    /** Scripts of a glyph split: classes and faces (images) per class of each. */
    private static void printScripts(PrintWriter out, String part, Dataset ds) {
        List<String> scripts = Glyphs.classScripts(part);
        Map<String, int[]> per = new TreeMap<>();   // classes, min, max faces
        int[] counts = ds.classCounts();
        for (int c = 0; c < scripts.size(); c++) {
            int[] v = per.computeIfAbsent(scripts.get(c), k -> new int[] {0, Integer.MAX_VALUE, 0});
            v[0]++;
            v[1] = Math.min(v[1], counts[c]);
            v[2] = Math.max(v[2], counts[c]);
        }
        out.printf("  %d scripts (classes, faces per class):%n", per.size());
        StringBuilder b = new StringBuilder("   ");
        for (Map.Entry<String, int[]> e : per.entrySet()) {
            int[] v = e.getValue();
            String item = " " + e.getKey() + " " + v[0] + " (" + (v[1] == v[2] ? v[1] : v[1] + "-" + v[2]) + ")";
            if (b.length() + item.length() > 100) {
                out.println(b);
                b = new StringBuilder("   ");
            }
            b.append(item);
        }
        out.println(b);
    }

    private static void print(PrintWriter out, String part, Dataset ds) {
        DatasetSummary s = DatasetSummary.of(ds);
        out.printf("%s: %d images, shape %s (D=%d), %s%n", part, s.count(), s.shape(), s.dim(),
                s.numClasses() == 0 ? "unlabelled" : s.numClasses() + " classes");
        out.printf("  values: min %.4f, max %.4f, mean %.4f%n", s.min(), s.max(), s.mean());
        if (s.numClasses() == 0) {
            return;
        }
        int empty = 0;
        for (int c : s.classCounts()) {
            empty += c == 0 ? 1 : 0;
        }
        out.printf("  class balance: min %d, max %d, mean %.1f per class, %d empty%n",
                s.minClassCount(), s.maxClassCount(), (double) s.count() / s.numClasses(), empty);
        if (s.numClasses() <= 30) {
            StringBuilder b = new StringBuilder("  counts:");
            for (int c = 0; c < s.numClasses(); c++) {
                b.append(' ').append(ds.className(c)).append('=').append(s.classCounts()[c]);
            }
            out.println(b);
        }
    }
}
