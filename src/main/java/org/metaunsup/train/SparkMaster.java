package org.metaunsup.train;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.metaunsup.BadInputException;

/**
 * Checks a {@code --master} URL before Spark sees it. Spark answers a malformed URL with a stack
 * of its own and an unreachable standalone master by retrying for about a minute; here the first is
 * one line at once and the second one line after {@link #CONNECT_TIMEOUT_MILLIS} per address. Uses
 * no Spark class, so the threads engine never loads Spark.
 */
final class SparkMaster {

    /** How long each address of a {@code spark://} master may take to accept a connection. */
    static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    private static final Pattern LOCAL = Pattern.compile("local(\\[(\\d+|\\*)(,\\d+)?\\])?");
    private static final Pattern STANDALONE = Pattern.compile("spark://([^/:,\\s]+:\\d{1,5})(,[^/:,\\s]+:\\d{1,5})*");
    private static final Pattern OTHER = Pattern.compile("yarn|k8s://\\S+|mesos://\\S+");

    private SparkMaster() {}

    /**
     * @param master the URL, or null (spark-submit's own, else local[N])
     * @throws BadInputException for a URL Spark would not take, or a standalone master that nothing answers at
     */
    static void check(String master) {
        if (master == null || LOCAL.matcher(master).matches() || OTHER.matcher(master).matches()) {
            return;
        }
        Matcher m = STANDALONE.matcher(master);
        if (!m.matches()) {
            throw new BadInputException("--master " + master + ": not a Spark master URL (local, local[N], "
                    + "local[*], spark://HOST:PORT[,HOST:PORT...], yarn, k8s://..., mesos://...)");
        }
        for (String hostPort : master.substring("spark://".length()).split(",")) {
            int colon = hostPort.lastIndexOf(':');
            String host = hostPort.substring(0, colon);
            int port = Integer.parseInt(hostPort.substring(colon + 1));
            if (port < 1 || port > 65535) {
                throw new BadInputException("--master " + master + ": port " + port + " is out of range");
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
                return;   // one live master of the list is enough: Spark fails over between them
            } catch (IOException e) {
                if (master.indexOf(',') < 0) {
                    throw new BadInputException("--master " + master + ": nothing answers at " + hostPort + " ("
                            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                            + "); is the Spark master running?");
                }
            }
        }
        throw new BadInputException("--master " + master + ": none of its masters answers; is a Spark master running?");
    }
}
