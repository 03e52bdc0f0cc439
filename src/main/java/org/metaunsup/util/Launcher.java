package org.metaunsup.util;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Native libraries read some settings only from the environment at process start: OpenMP's
 * thread count and wait policy, and glibc malloc's mmap/trim thresholds (large arrays must be
 * reused, not returned to the OS and faulted in again). A program cannot set its own
 * environment, so when these are missing {@link #relaunchIfNeeded} starts the same JVM again
 * with them set and passes its exit code through, under {@code java -jar} and under
 * {@code mvn exec:java} alike. Users need not set anything in their shell;
 * {@code METAUNSUP_NO_RELAUNCH=1} turns this off.
 */
public final class Launcher {

    /** Environment the program wants; a variable the user already set is left alone. */
    public static final Map<String, String> ENV = Map.of(
            "OMP_NUM_THREADS", "1",
            "OMP_WAIT_POLICY", "passive",
            "MALLOC_MMAP_THRESHOLD_", "33554432",
            "MALLOC_TRIM_THRESHOLD_", "17179869184",
            // Transparent huge pages for malloc's memory where the kernel offers them (madvise
            // mode): far fewer page faults on fresh memory, e.g. a first meta-gradient.
            "GLIBC_TUNABLES", "glibc.malloc.hugetlb=1");

    private static final String MARK = "METAUNSUP_LAUNCHED";

    /**
     * What Spark 3.5 needs on Java 17 (the list its own launcher passes; pom property
     * {@code spark.jvm.flags} for tests, the jar's Add-Opens for {@code java -jar}). Harmless
     * without Spark: it only opens JDK packages to the class path.
     */
    public static final List<String> SPARK_JVM_FLAGS = List.of("-XX:+IgnoreUnrecognizedVMOptions",
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
            "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
            "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED", "-Djdk.reflect.useDirectMethodHandle=false");

    private Launcher() {}

    /**
     * @param mainClass class whose main to run in the child
     * @param args program arguments
     * @return the child's exit code, or empty when this process should carry on itself
     */
    public static Optional<Integer> relaunchIfNeeded(Class<?> mainClass, String[] args) {
        Map<String, String> env = System.getenv();
        if (env.containsKey(MARK) || env.containsKey("METAUNSUP_NO_RELAUNCH")) {
            return Optional.empty();
        }
        boolean missing = ENV.keySet().stream().anyMatch(k -> !env.containsKey(k));
        if (!missing) {
            return Optional.empty();
        }
        // java -jar / java -cp: our classes are on java.class.path and the JVM options are ours.
        // mvn exec:java: a plugin class loader holds them and the JVM options are Maven's, so
        // the child gets that loader's class path and only the settings we own.
        boolean own = onClassPath(mainClass);
        Optional<String> classPath = own ? Optional.of(System.getProperty("java.class.path"))
                : loaderClassPath(mainClass);
        if (classPath.isEmpty()) {
            return Optional.empty();   // unknown launcher: run here with in-process settings
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> jvmArgs = own ? ManagementFactory.getRuntimeMXBean().getInputArguments() : forwardedProperties();
        cmd.addAll(jvmArgs);
        if (jvmArgs.stream().noneMatch(a -> a.startsWith("-Dorg.bytedeco.javacpp.maxphysicalbytes"))) {
            // Native arrays are freed when the JVM collects their wrappers; the Java heap stays
            // small, so without a bound on resident memory no collection happens and a long
            // unroll can grow past physical memory. JavaCPP collects when RSS passes this.
            long total = physicalMemoryBytes();
            if (total > 0) {
                cmd.add("-Dorg.bytedeco.javacpp.maxphysicalbytes=" + (long) (0.7 * total));
            }
        }
        for (String f : SPARK_JVM_FLAGS) {
            if (!jvmArgs.contains(f)) {
                cmd.add(f);
            }
        }
        cmd.add("-cp");
        cmd.add(classPath.get());
        cmd.add(mainClass.getName());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        ENV.forEach((k, v) -> pb.environment().putIfAbsent(k, v));
        pb.environment().put(MARK, "1");
        try {
            Process child = pb.start();
            // On Ctrl-C the child gets the signal too; wait for it so that a command writing its
            // partial results on the way out finishes before the terminal prompt returns.
            Thread killer = new Thread(() -> {
                child.destroy();
                try {
                    child.waitFor(150, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Runtime.getRuntime().addShutdownHook(killer);
            int code = child.waitFor();
            Runtime.getRuntime().removeShutdownHook(killer);
            return Optional.of(code);
        } catch (Exception e) {
            return Optional.empty();   // cannot relaunch: run here with in-process settings
        }
    }

    /**
     * In a child started by {@link #relaunchIfNeeded}: ends this process, as abruptly as the
     * launcher ended, when the launcher is gone. A launcher killed with {@code kill -9} cannot
     * pass the signal on, and an orphan that went on training would be a second writer beside the
     * run that the user resumes next (a SIGTERM or Ctrl-C of the launcher does reach the child,
     * which then stops cleanly). Checked twice a second; does nothing outside such a child.
     */
    public static void endWithLauncher() {
        if (!System.getenv().containsKey(MARK)) {
            return;
        }
        Optional<ProcessHandle> parent = ProcessHandle.current().parent();
        if (parent.isEmpty()) {
            return;
        }
        ProcessHandle launcher = parent.get();
        Thread watch = new Thread(() -> {
            while (launcher.isAlive()) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
            Runtime.getRuntime().halt(ORPHANED_EXIT);
        }, "metaunsup-launcher-watch");
        watch.setDaemon(true);
        watch.start();
    }

    /** Exit code of a child whose launcher was killed (that of a SIGKILL, 128 + 9). */
    static final int ORPHANED_EXIT = 137;

    /**
     * System properties a user may set for the native libraries, logging or this program (e.g.
     * {@code mvn exec:java -Djavacpp.platform.extension=-onednn}); Maven makes its -D options
     * system properties of its own JVM, so they are passed on to the child as -D options.
     */
    private static List<String> forwardedProperties() {
        List<String> out = new ArrayList<>();
        for (String k : System.getProperties().stringPropertyNames()) {
            if (k.startsWith("org.bytedeco.") || k.startsWith("javacpp.") || k.startsWith("org.nd4j.")
                    || k.startsWith("org.slf4j.") || k.startsWith("org.deeplearning4j.") || k.startsWith("metaunsup.")) {
                out.add("-D" + k + "=" + System.getProperty(k));
            }
        }
        return out;
    }

    /** The class path of the URL class loader that loaded the class (Maven's exec:java). */
    private static Optional<String> loaderClassPath(Class<?> c) {
        if (!(c.getClassLoader() instanceof URLClassLoader loader)) {
            return Optional.empty();
        }
        List<String> entries = new ArrayList<>();
        for (URL u : loader.getURLs()) {
            try {
                entries.add(Path.of(u.toURI()).toString());
            } catch (URISyntaxException | RuntimeException e) {
                return Optional.empty();
            }
        }
        return entries.isEmpty() ? Optional.empty() : Optional.of(String.join(File.pathSeparator, entries));
    }

    private static long physicalMemoryBytes() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getTotalMemorySize();
        }
        return -1;
    }

    /** True when the class is loaded from an entry of java.class.path (not a plugin loader). */
    private static boolean onClassPath(Class<?> c) {
        try {
            Path own = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                if (!entry.isEmpty() && Path.of(entry).toAbsolutePath().equals(own)) {
                    return true;
                }
            }
        } catch (URISyntaxException | RuntimeException e) {
            return false;
        }
        return false;
    }
}
