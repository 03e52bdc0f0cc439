package org.metaunsup.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metaunsup.data.DataLocator;
import org.metaunsup.util.Launcher;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Meta-training on a real Apache Spark standalone cluster on loopback: a master and two worker
 * JVMs started from the bundled Spark jars ({@code org.apache.spark.deploy.master.Master},
 * {@code org.apache.spark.deploy.worker.Worker}, bound to 127.0.0.1; the workers launch their
 * executors from a Spark home whose {@code jars/} are this build's class path), and the driver
 * started as the README's {@code spark-submit} line starts it: {@code metatrain --engine spark
 * --master spark://127.0.0.1:PORT}, executor settings as {@code spark.*} properties. One worker
 * is killed with {@code kill -9} mid-run (its truncations are run again on the other one), then
 * the driver is (a {@code --resume} continues). Tag {@code slow}:
 * {@code mvn -Pcpu,slow test -Dtest=SparkClusterTest}.
 */
@Tag("slow")
class SparkClusterTest {

    @TempDir
    Path tmp;

    private final List<Process> cluster = new ArrayList<>();

    @AfterEach
    void stopCluster() throws InterruptedException {
        for (Process p : cluster) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Every jar and class folder of this JVM's class path (a manifest-only jar expanded). */
    private static List<Path> classPath() throws IOException {
        Set<Path> out = new LinkedHashSet<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(e).toAbsolutePath();
            out.add(p);
            if (p.toString().endsWith(".jar") && Files.isRegularFile(p)) {
                try (JarFile jar = new JarFile(p.toFile())) {
                    String cp = jar.getManifest() == null ? null
                            : jar.getManifest().getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
                    if (cp != null) {
                        // Surefire's manifest-only jar (or a jar naming its own dependencies): its entries too.
                        for (String u : cp.trim().split("\\s+")) {
                            Path q = u.startsWith("file:") ? Path.of(URI.create(u)) : p.getParent().resolve(u).normalize();
                            if (Files.exists(q)) {
                                out.add(q);
                            }
                        }
                    }
                }
            }
        }
        return new ArrayList<>(out);
    }

    /** Packs a folder of classes into a jar (the Spark home's {@code jars/} takes jars only). */
    private static void jar(Path classes, Path target) throws IOException {
        try (OutputStream f = Files.newOutputStream(target); JarOutputStream jar = new JarOutputStream(f);
             Stream<Path> s = Files.walk(classes)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                jar.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
                Files.copy(p, jar);
                jar.closeEntry();
            }
        }
    }

    /** A Spark home as Spark's launcher expects it: {@code RELEASE} and {@code jars/}. */
    private Path sparkHome() throws IOException {
        Path home = tmp.resolve("spark-home");
        Path jars = Files.createDirectories(home.resolve("jars"));
        Files.writeString(home.resolve("RELEASE"), "metaunsup test Spark home\n");
        int i = 0;
        for (Path p : classPath()) {
            if (Files.isDirectory(p)) {
                jar(p, jars.resolve("classes-" + (i++) + ".jar"));
            } else if (p.toString().endsWith(".jar") && Files.isRegularFile(p)
                    && !Files.exists(jars.resolve(p.getFileName().toString()), LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(jars.resolve(p.getFileName().toString()), p);
            }
        }
        return home;
    }

    /** A JVM on the Spark home's jars with the Spark JVM flags: {@code jvmOptions}, then {@code args}. */
    private static ProcessBuilder jvm(Path home, List<String> jvmOptions, List<String> args, Path log) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(jvmOptions);
        cmd.addAll(Launcher.SPARK_JVM_FLAGS);
        cmd.addAll(List.of("-cp", home.resolve("jars") + File.separator + "*"));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    }

    private Process java(Path home, List<String> args, Path log) throws IOException {
        // INFO: the test waits for the master's and workers' own "ready" lines.
        ProcessBuilder pb = jvm(home, List.of("-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=info"), args, log);
        pb.environment().put("SPARK_HOME", home.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return pb.start();
    }

    private static void awaitLog(Path log, String text, Process p) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!(Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(text))) {
            if (!p.isAlive() || System.nanoTime() > end) {
                throw new AssertionError("waiting for '" + text + "' in " + log + ":\n"
                        + (Files.exists(log) ? Files.readString(log) : ""));
            }
            Thread.sleep(100);
        }
    }

    /** The driver: {@code metatrain --engine spark} against the cluster, 2 truncations in flight. */
    private Process driver(Path home, Path dir, Path config, long steps, boolean resume, String master, Path log,
                           String executorFault) throws IOException {
        // Executors run in the workers' folders: they find the data by the property, as on a cluster.
        String execOpts = String.join(" ", Launcher.SPARK_JVM_FLAGS) + " -D" + DataLocator.PROPERTY + "="
                + Path.of("data").toAbsolutePath()
                + (executorFault == null ? "" : " -D" + FaultPoint.PROPERTY + "=" + executorFault);
        List<String> args = new ArrayList<>(List.of("-Dspark.executor.extraJavaOptions=" + execOpts,
                "-Dspark.executorEnv.OMP_NUM_THREADS=1", "-Dspark.executorEnv.OMP_WAIT_POLICY=passive",
                "-Dspark.executor.cores=1", "-Dspark.cores.max=2", "-Dspark.executor.memory=1g",
                "-Dspark.driver.host=127.0.0.1", "-Dspark.driver.bindAddress=127.0.0.1",
                "org.metaunsup.cli.Main", "metatrain", "--engine", "spark", "--master", master,
                "--config", config.toString(), "--run-dir", dir.toString(), "--steps", Long.toString(steps),
                "--workers", "2", "--eval-steps", "0"));
        if (resume) {
            args.add("--resume");
        }
        // The scheduler at INFO: its lines say which task ran where and which was run again.
        ProcessBuilder pb = jvm(home, List.of("-Xmx2g", "-Dorg.slf4j.simpleLogger.log.org.apache.spark.scheduler=info"),
                args, log);
        pb.environment().put("METAUNSUP_NO_RELAUNCH", "1");   // as under spark-submit
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.environment().put("OMP_WAIT_POLICY", "passive");
        Process p = pb.start();
        cluster.add(p);   // a failed assertion must not leave a driver running
        return p;
    }

    private static long newestStep(Path dir) throws IOException {
        Checkpoint.Found f = Checkpoint.newest(dir, DataType.FLOAT, m -> {});
        return f == null ? 0 : f.checkpoint().learner().step();
    }

    @Test
    void aStandaloneClusterSurvivesAKilledWorkerAndAKilledDriver() throws Exception {
        Path home = sparkHome();
        int port = freePort();
        String master = "spark://127.0.0.1:" + port;
        Process m = java(home, List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
                Integer.toString(port), "--webui-port", Integer.toString(freePort())), tmp.resolve("master.log"));
        cluster.add(m);
        awaitLog(tmp.resolve("master.log"), "I have been elected leader", m);
        List<Process> workers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Path log = tmp.resolve("worker-" + i + ".log");
            Process w = java(home, List.of("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                    "--webui-port", Integer.toString(freePort()), "--cores", "1", "--memory", "3g", "--work-dir",
                    Files.createDirectories(tmp.resolve("work-" + i)).toString(), master), log);
            cluster.add(w);
            workers.add(w);
            awaitLog(log, "Successfully registered with master", w);
        }

        // 1. A run to step 6 completes on the cluster.
        Path dir = tmp.resolve("run");
        Path config = RunChild.config(dir);
        Process d = driver(home, dir, config, 6, false, master, tmp.resolve("driver-1.log"), null);
        assertTrue(d.waitFor(300, TimeUnit.SECONDS), "driver 1 timed out");
        assertEquals(0, d.exitValue(), Files.readString(tmp.resolve("driver-1.log")));
        RunChild.assertIntact(dir, 6);
        assertTrue(Files.readString(dir.resolve("manifest.json")).contains(master));

        // 2. Continued to 40; each executor pauses holding its third truncation's result (a test
        // hook), so the worker killed then is surely running a task: it must be run again elsewhere.
        Path paused = tmp.resolve("executor-paused");
        Process d2 = driver(home, dir, config, 40, true, master, tmp.resolve("driver-2.log"),
                FaultPoint.TRUNCATION.spec(3, paused));
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (!Files.exists(paused) && d2.isAlive() && System.nanoTime() < end) {
            Thread.sleep(100);
        }
        assertTrue(Files.exists(paused), "an executor reached its third truncation");
        Thread.sleep(3000);   // the other executor reaches its own third one too
        Process victim = workers.get(0);
        List<ProcessHandle> executors = victim.descendants().toList();
        assertTrue(!executors.isEmpty(), "the worker ran an executor");
        victim.destroyForcibly().waitFor();
        executors.forEach(ProcessHandle::destroyForcibly);
        Files.delete(paused);   // the surviving executor goes on
        int rowsAtKill = Files.readAllLines(dir.resolve("metrics.csv")).size() - 1;

        // 3. The driver goes on with the other worker; once past a later checkpoint it is killed too.
        end = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (newestStep(dir) < rowsAtKill + 4 && d2.isAlive() && System.nanoTime() < end) {
            Thread.sleep(200);
        }
        assertTrue(d2.isAlive(), "the driver survived the lost worker:\n" + Files.readString(tmp.resolve("driver-2.log")));
        assertTrue(newestStep(dir) >= rowsAtKill + 4, "steps went on after the worker was lost");
        String log2 = Files.readString(tmp.resolve("driver-2.log"));
        // Spark 3.5 says "task 0.0 in stage S failed because while it was being computed, its executor
        // exited ..." and then starts attempt 0.1 of the same task on the other executor.
        long lost = log2.lines().filter(l -> l.contains("its executor exited") || l.contains("Lost task")
                || l.contains("ExecutorLostFailure")).count();
        boolean retried = log2.lines().anyMatch(l -> l.contains("Starting task 0.1 in stage"));
        assertTrue(lost > 0 && retried, "Spark ran the killed worker's task again:\n" + log2);
        d2.descendants().forEach(ProcessHandle::destroyForcibly);
        d2.destroyForcibly().waitFor();

        // 4. --resume of the killed driver reaches the target on the one worker left.
        Process d3 = driver(home, dir, config, 40, true, master, tmp.resolve("driver-3.log"), null);
        assertTrue(d3.waitFor(600, TimeUnit.SECONDS), "driver 3 timed out");
        String log3 = Files.readString(tmp.resolve("driver-3.log"));
        assertEquals(0, d3.exitValue(), log3);
        assertTrue(log3.contains("resuming from checkpoint"), log3);
        RunChild.assertIntact(dir, 40);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "fault-injections-spark.txt"), "Spark standalone, 2 workers: 1 worker "
                + "killed with -9 at outer step " + rowsAtKill + " while running a task (" + lost + " task(s) lost with "
                + "it, run again on the other worker), "
                + "then the driver killed with -9 and resumed to outer step 40\n");
    }
}
