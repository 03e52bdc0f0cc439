package org.metaunsup.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.metaunsup.cli.ProcessSetup;
import org.metaunsup.train.MetaTrainer;
import org.metaunsup.train.MetricsRow;

/**
 * Meta-train the rule for a few outer steps on {@code tiny} alphabet tasks with two worker
 * threads, as {@code metatrain} does: each outer step is one Adam step on θ from a batch of
 * truncation meta-gradients; the run folder gets metrics, checkpoints and a θ file per
 * checkpoint. Returns the meta-loss of every outer step.
 */
public final class MetaTrainTinyExample {

    private MetaTrainTinyExample() {}

    /**
     * @param runDir run folder to create (must not exist yet)
     * @param steps outer steps
     * @return the training-task meta-loss after each outer step
     * @throws IOException if the run folder cannot be written
     */
    public static List<Double> run(Path runDir, int steps) throws IOException {
        ProcessSetup.init();   // this program owns its process: the command line's settings
        List<Double> losses = new ArrayList<>();
        MetaTrainer.Options options = MetaTrainer.Options.threads(runDir, "tiny", steps, 2).withEvaluation(0, 1);
        new MetaTrainer(options, new MetaTrainer.Listener() {
            @Override
            public void message(String line) {
                System.out.println(line);
            }

            @Override
            public void step(MetricsRow row, long target) {
                losses.add(row.metaLoss());
                System.out.println("outer step " + row.outerStep() + ": meta-loss " + row.metaLoss());
            }
        }, new MetaTrainer.Hooks()).run(() -> false);
        return losses;
    }

    /** @param args run folder (default: a fresh temporary one), outer steps (default 6) */
    public static void main(String[] args) throws IOException {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("metatrain-tiny").resolve("run");
        System.out.println(run(dir, args.length > 1 ? Integer.parseInt(args[1]) : 6));
        System.out.println("run folder: " + dir);
    }
}
