package org.metaunsup.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import org.metaunsup.BadInputException;
import org.metaunsup.data.Augmentation;
import org.metaunsup.data.DataSplits;
import org.metaunsup.data.Dataset;
import org.metaunsup.data.Datasets;
import org.metaunsup.data.Glyphs;
import org.metaunsup.data.SamplePicture;
import org.metaunsup.data.Task;
import org.metaunsup.data.TaskConfig;
import org.metaunsup.data.TaskSampler;
import org.metaunsup.io.AtomicFiles;
import org.metaunsup.io.OutputPaths;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code data samples}: a PNG grid of alphabet, MNIST and stacked MNIST images. */
@Command(name = "samples", mixinStandardHelpOptions = true,
        description = "Write a PNG grid of sampled alphabet (as rendered and as the task sampler "
                + "augments it), MNIST and stacked MNIST images.")
final class SamplesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, description = "PNG file to write, e.g. docs/data-samples.png.")
    Path out;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the draw (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--dataset", defaultValue = "alphabet",
            description = "alphabet (default: alphabet, MNIST, stacked MNIST) or glyphs (one row per script).")
    String dataset;

    @Override
    public Integer call() throws IOException {
        if (!dataset.equals("alphabet") && !dataset.equals("glyphs")) {
            throw new BadInputException("--dataset " + dataset + ": expected alphabet or glyphs");
        }
        Path abs = OutputPaths.file(out, "--out");   // before the work
        System.setProperty("java.awt.headless", "true");
        SplittableRandom rng = new SplittableRandom(seed);
        if (dataset.equals("glyphs")) {
            BufferedImage img = glyphGrid(rng);
            AtomicFiles.write(abs, o -> ImageIO.write(img, "png", o));
            spec.commandLine().getOut().println("wrote " + out);
            return 0;
        }
        DataSplits alphabet = Datasets.load("alphabet");
        DataSplits mnist = Datasets.load("mnist");
        DataSplits stacked = Datasets.load("stacked-mnist");
        SamplePicture pic = new SamplePicture(26, 2);
        pic.addByClass("alphabet/train as rendered (one random face per cell)", alphabet.train(), 4, rng.split());
        pic.addByClass("alphabet/test as rendered (faces of held-out families)", alphabet.test(), 2, rng.split());
        TaskSampler sampler = new TaskSampler(alphabet.train(),
                TaskConfig.defaults().withAugmentation(Augmentation.ALPHABET));
        Task task = sampler.sample(rng.nextLong());
        pic.add("alphabet task (10 letters), unlabelled inner batch with sampler augmentation",
                task.unlabelled(0, 52), 1, 28);
        pic.add("mnist/train", new TaskSampler(mnist.train(), TaskConfig.defaults().withPermute(false))
                .sample(rng.nextLong()).unlabelled(0, 52), 1, 28);
        pic.add("mnist14/test (area-average 2x2 downsample)", new TaskSampler(
                Datasets.load("mnist14").test(), TaskConfig.defaults().withPermute(false))
                .sample(rng.nextLong()).unlabelled(0, 26), 1, 14);
        pic.add("stacked-mnist/train (digits as R, G, B channels)", new TaskSampler(stacked.train(),
                TaskConfig.defaults().withShape(26, 1, 1).withPermute(false)).sample(rng.nextLong())
                .support(), 3, 28);
        BufferedImage img = pic.render();
        AtomicFiles.write(abs, o -> ImageIO.write(img, "png", o));
        spec.commandLine().getOut().println("wrote " + out);
        return 0;
    }

    /** One row per script: up to 26 of its classes (evenly spaced), one random face each. */
    private static BufferedImage glyphGrid(SplittableRandom rng) {
        DataSplits g = Datasets.load("glyphs");
        SamplePicture pic = new SamplePicture(26, 2);
        String[] parts = {"train", "validation"};
        for (int s = 0; s < 2; s++) {
            Dataset d = s == 0 ? g.train() : g.test();
            List<String> scripts = Glyphs.classScripts(parts[s]);
            Map<String, List<Integer>> by = new TreeMap<>();
            for (int c = 0; c < scripts.size(); c++) {
                by.computeIfAbsent(scripts.get(c), k -> new ArrayList<>()).add(c);
            }
            for (Map.Entry<String, List<Integer>> e : by.entrySet()) {
                List<Integer> cs = e.getValue();
                int n = Math.min(26, cs.size());
                int[] pick = new int[n];
                for (int i = 0; i < n; i++) {
                    pick[i] = cs.get(i * cs.size() / n);
                }
                pic.addClasses(e.getKey() + " (" + parts[s] + ", " + cs.size() + " classes)", d, pick, rng.split());
            }
        }
        return pic.render();
    }
}
