package org.metaunsup.testing;

import java.io.File;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs {@link GraphProbe} on a saved graph in a separate JVM with this JVM's class path, and
 * reads back what it wrote: the way to show that a FlatBuffers file carries everything needed
 * (including the registration of custom ops) without state of the JVM that wrote it.
 */
public final class FreshJvm {

    private FreshJvm() {}

    /**
     * @param exitCode the probe's exit code (0 ok, 3 gradient failed)
     * @param output its stdout and stderr
     */
    public record Result(int exitCode, String output) {}

    /**
     * @param prefix {@code ph}, {@code out} or {@code grad}
     * @param name graph variable name (may contain '/')
     * @return the file name used for it
     */
    public static String fileName(String prefix, String name) {
        return prefix + "-" + URLEncoder.encode(name, StandardCharsets.UTF_8) + ".bin";
    }

    static String decode(String encoded) {
        return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
    }

    /**
     * Writes the placeholders the probe feeds.
     *
     * @param dir exchange directory
     * @param placeholders values by name
     * @throws IOException on write failure
     */
    public static void writePlaceholders(Path dir, Map<String, INDArray> placeholders) throws IOException {
        for (Map.Entry<String, INDArray> e : placeholders.entrySet()) {
            Nd4j.saveBinary(e.getValue(), dir.resolve(fileName("ph", e.getKey())).toFile());
        }
    }

    /**
     * @param dir exchange directory
     * @param name output name
     * @return the value the probe computed
     * @throws IOException on read failure
     */
    public static INDArray output(Path dir, String name) throws IOException {
        return Nd4j.readBinary(dir.resolve(fileName("out", name)).toFile());
    }

    /**
     * @param dir exchange directory
     * @param name name of the differentiated input
     * @return the gradient the probe computed
     * @throws IOException on read failure
     */
    public static INDArray gradient(Path dir, String name) throws IOException {
        return Nd4j.readBinary(dir.resolve(fileName("grad", name)).toFile());
    }

    /**
     * Runs the probe.
     *
     * @param dir exchange directory holding the placeholders
     * @param graph the FlatBuffers file
     * @param loss loss variable
     * @param register whether the probe registers the differentiable solve first
     * @param wrt inputs to differentiate
     * @param outputs outputs to compute
     * @return exit code and output
     * @throws IOException if the process cannot be started
     * @throws InterruptedException if interrupted while waiting
     */
    public static Result run(Path dir, File graph, String loss, boolean register, List<String> wrt,
                             List<String> outputs) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx2g", "-cp", System.getProperty("java.class.path"),
                GraphProbe.class.getName(), graph.getPath(), dir.toString(), loss,
                register ? "register" : "noregister", String.join(",", wrt)));
        cmd.addAll(outputs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.environment().put("OMP_WAIT_POLICY", "passive");
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("probe timed out");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /**
     * Runs any main class of the test class path in a fresh JVM.
     *
     * @param main class with a main method
     * @param args its arguments
     * @return exit code and output
     * @throws IOException if the process cannot be started
     * @throws InterruptedException if interrupted while waiting
     */
    public static Result runMain(Class<?> main, String... args) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx2g", "-cp", System.getProperty("java.class.path"),
                main.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.environment().put("OMP_WAIT_POLICY", "passive");
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(main.getSimpleName() + " timed out");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
