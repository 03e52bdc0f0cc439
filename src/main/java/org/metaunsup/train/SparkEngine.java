package org.metaunsup.train;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.metaunsup.config.ConfigLoader;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.rule.Theta;
import org.metaunsup.rule.ThetaSpec;
import org.metaunsup.unroll.RuntimePolicy;
import org.metaunsup.util.CustomOps;
import org.metaunsup.util.ThreadSettings;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The Apache Spark engine: the driver owns the learner (this JVM); every truncation is one Spark
 * job of one task whose input is bytes — the config, the run seed, θ and the worker's state — and
 * whose output is the {@link Truncation} as bytes. N jobs are kept in flight with Spark's
 * asynchronous actions; as each one completes its result goes to the trainer, its slot goes back to
 * the task pool ({@link SlotQueue}) and the truncation of the pool's next slot is submitted
 * with the newest θ, so the learner still batches gradients as they
 * complete. A truncation is a pure function of its input, so a task that fails is simply run again
 * by Spark ({@code spark.task.maxFailures}, also in local mode: {@code local[N]} becomes
 * {@code local[N,4]}). No sockets or RPC of our own: Spark ships the bytes.
 *
 * <p>Executors build their graphs once per thread and keep them for the executor's life (each
 * thread's {@link WorkerContext}s, by config, seed and dtype),
 * and need the data folder like the driver ({@code data/}, {@code -Dmetaunsup.data} or
 * {@code METAUNSUP_DATA}).
 */
public final class SparkEngine implements Engine {

    /** Spark retries a failed truncation this many times in all. */
    static final int MAX_FAILURES = 4;

    /**
     * Test hook: when this system property names a file that does not exist yet, the next
     * truncation task creates it and throws (once), so that a test sees Spark retry it.
     */
    public static final String FAIL_ONCE_PROPERTY = "metaunsup.test.sparkFailOnce";

    private static final Pattern LOCAL = Pattern.compile("local\\[(\\d+|\\*)\\]");

    private final ExperimentConfig config;
    private final long seed;
    private final DataType dtype;
    private final String master;
    private final int workers;
    private JavaSparkContext sc;
    private Thread driver;
    private volatile boolean closing;

    /**
     * @param config the run's config
     * @param seed run seed
     * @param dtype graphs' floating type
     * @param master Spark master URL, or null (spark-submit's {@code spark.master}, else local[N])
     * @param workers truncations in flight
     */
    public SparkEngine(ExperimentConfig config, long seed, DataType dtype, String master, int workers) {
        this.config = config;
        this.seed = seed;
        this.dtype = dtype;
        this.master = master;
        this.workers = workers;
    }

    /**
     * @param master a master URL
     * @return the URL with a retry count for local masters ({@code local[N]} → {@code local[N,4]})
     */
    static String withRetries(String master) {
        Matcher m = LOCAL.matcher(master);
        if (m.matches()) {
            return "local[" + m.group(1) + "," + MAX_FAILURES + "]";
        }
        return "local".equals(master) ? "local[1," + MAX_FAILURES + "]" : master;
    }

    @Override
    public void start(Sink sink, List<WorkerState> states, int inFlight) {
        SparkConf conf = new SparkConf().setAppName("metaunsup-metatrain");
        String url = master != null ? master : conf.get("spark.master", "local[" + workers + "]");
        conf.setMaster(withRetries(url));
        conf.set("spark.task.maxFailures", Integer.toString(MAX_FAILURES));
        conf.setIfMissing("spark.ui.enabled", "false");
        // One truncation per task and no more tasks than workers: the learner, not Spark's
        // scheduler, decides how many gradients are in flight.
        conf.setIfMissing("spark.scheduler.mode", "FIFO");
        sc = new JavaSparkContext(conf);
        sc.setLogLevel("WARN");
        String configName = config.name();
        Map<String, String> props = new LinkedHashMap<>(config.toProperties());
        driver = new Thread(() -> drive(sink, new SlotQueue(states, seed), Math.min(inFlight, states.size()), configName,
                props), "metatrain-spark-driver");
        driver.setDaemon(true);
        driver.start();
    }

    private JavaFutureAction<List<byte[]>> submit(byte[] payload) {
        return sc.parallelize(List.of(payload), 1).map(new TruncationTask()).collectAsync();
    }

    private void drive(Sink sink, SlotQueue queue, int jobs, String configName, Map<String, String> props) {
        List<JavaFutureAction<List<byte[]>>> inFlight = new ArrayList<>();
        try {
            for (int i = 0; i < jobs; i++) {
                inFlight.add(submit(payload(configName, props, sink.theta(), queue.poll())));
            }
            while (sink.open() && !closing) {
                boolean any = false;
                for (int i = 0; i < inFlight.size() && sink.open(); i++) {
                    JavaFutureAction<List<byte[]>> f = inFlight.get(i);
                    if (!f.isDone()) {
                        continue;
                    }
                    any = true;
                    Truncation t = Truncation.fromBytes(f.get().get(0), dtype);
                    sink.accept(t);
                    queue.giveBack(t.after());
                    if (sink.open()) {
                        inFlight.set(i, submit(payload(configName, props, sink.theta(), queue.poll())));
                    }
                }
                if (!any) {
                    Thread.sleep(20);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            if (!closing) {
                sink.fail(e.getCause() != null ? e.getCause() : e);
            }
        } catch (Throwable e) {
            if (!closing) {
                sink.fail(e);
            }
        } finally {
            for (JavaFutureAction<List<byte[]>> f : inFlight) {
                f.cancel(true);
            }
        }
    }

    private byte[] payload(String configName, Map<String, String> props, VersionedTheta th, WorkerState w) {
        return Codec.encode(out -> {
            out.writeUTF(configName);
            out.writeInt(props.size());
            for (Map.Entry<String, String> e : props.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeUTF(e.getValue());
            }
            out.writeLong(seed);
            out.writeUTF(dtype.name());
            out.writeLong(th.version());
            Codec.bytes(out, th.theta().toBytes());
            Codec.bytes(out, w.toBytes());
        });
    }

    @Override
    public String describe() {
        return "spark " + (sc != null ? sc.master() : master);
    }

    @Override
    public void close() {
        closing = true;
        if (driver != null) {
            try {
                driver.join(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (sc != null) {
            sc.cancelAllJobs();
            sc.stop();
            sc = null;
        }
    }

    /** One truncation, run by a Spark task: bytes in, bytes out. */
    static final class TruncationTask implements Function<byte[], byte[]> {
        private static final long serialVersionUID = 1L;

        /** Contexts (data, graphs) of this executor thread, by (config, seed, dtype). */
        private static final ThreadLocal<Map<String, WorkerContext>> CONTEXTS = ThreadLocal.withInitial(HashMap::new);

        @Override
        public byte[] call(byte[] payload) throws Exception {
            setUpExecutor();
            failOnceIfAsked();
            byte[] result = Codec.decode(payload, TruncationTask::run).toBytes();
            FaultPoint.TRUNCATION.reach();   // a test hook: the cluster test kills a worker here
            return result;
        }

        private static boolean executorReady;

        /**
         * An executor JVM runs only our truncations, so this run owns it: the same thread
         * settings, ops and runtime policy as the command line's (once per JVM; in local mode the
         * driver's command line has already applied them and the policy is left as it is).
         */
        private static synchronized void setUpExecutor() {
            if (executorReady) {
                return;
            }
            ThreadSettings.apply();
            CustomOps.register();
            if (RuntimePolicy.installed() == RuntimePolicy.NONE) {
                RuntimePolicy.COMMAND_LINE.install();
            }
            executorReady = true;
        }

        private static Truncation run(DataInputStream in) throws IOException {
            String name = in.readUTF();
            int n = in.readInt();
            Map<String, String> props = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                props.put(in.readUTF(), in.readUTF());
            }
            long seed = in.readLong();
            DataType dtype = DataType.valueOf(in.readUTF());
            long version = in.readLong();
            byte[] theta = Codec.bytes(in);
            byte[] state = Codec.bytes(in);
            String key = name + "\n" + props + "\n" + seed + "\n" + dtype;
            WorkerContext ctx = CONTEXTS.get().computeIfAbsent(key,
                    k -> new WorkerContext(ConfigLoader.resolve(name, props), seed, dtype));
            ExperimentConfig cfg = ctx.config();
            Theta th = Theta.fromBytes(new ThetaSpec(cfg.rule(), cfg.base().topWidth()), theta);
            return Worker.run(ctx, WorkerState.fromBytes(state, dtype), th.dataType() == dtype ? th : th.copy(dtype),
                    version);
        }

        private static void failOnceIfAsked() throws IOException {
            String f = System.getProperty(FAIL_ONCE_PROPERTY);
            if (f != null) {
                Path p = Path.of(f);
                synchronized (TruncationTask.class) {
                    if (!Files.exists(p)) {
                        Files.writeString(p, "failed once", StandardCharsets.UTF_8);
                        throw new IllegalStateException("injected failure of a truncation task (test hook)");
                    }
                }
            }
        }
    }
}
