package org.metaunsup.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Properties;

/**
 * Quiet by default, everything with {@code --verbose}. A user should see our lines and nothing
 * else: slf4j-simple's levels come from {@code simplelogger.properties} (nd4j's warnings about
 * its own op mappings are silenced there), and SameDiff prints one "Added differentiated op"
 * line per op to {@code System.out} (a plain {@code println} in
 * {@code SameDiff.createGradFunction}, no logger), which {@link #quietStdout} drops.
 */
final class Logging {

    /** The stdout line SameDiff prints per op while it builds a gradient function. */
    static final String DIFF_OP_LINE = "Added differentiated op ";

    private static final String PREFIX = "org.slf4j.simpleLogger.";

    private Logging() {}

    /**
     * Sets slf4j-simple's levels. System properties override the properties file, but the
     * default level is read once, when the first logger is made: call this before anything
     * touches nd4j (the command line does so before parsing).
     *
     * @param verbose show nd4j's INFO logs and every warning the file silences
     */
    static void configure(boolean verbose) {
        if (!verbose) {
            return;
        }
        System.setProperty(PREFIX + "defaultLogLevel", "info");
        Properties file = new Properties();
        try (InputStream in = Logging.class.getResourceAsStream("/simplelogger.properties")) {
            if (in != null) {
                file.load(in);
            }
        } catch (IOException e) {
            return;   // no file: the default level above is all there is
        }
        for (String k : file.stringPropertyNames()) {
            if (k.startsWith(PREFIX + "log.")) {
                System.setProperty(k, "info");
            }
        }
    }

    /**
     * @param out the real stdout
     * @return a stream that passes everything but SameDiff's per-op lines
     */
    static PrintStream quietStdout(PrintStream out) {
        return new QuietStdout(out);
    }

    /**
     * Forwards every call to the real stream (so its encoding applies) and drops the per-op
     * lines, which SameDiff writes with {@code println(String)}.
     */
    private static final class QuietStdout extends PrintStream {
        private final PrintStream out;

        QuietStdout(PrintStream out) {
            super(out, true);
            this.out = out;
        }

        @Override
        public void println(String x) {
            if (x == null || !x.startsWith(DIFF_OP_LINE)) {
                out.println(x);
            }
        }

        @Override public void println(Object x) { out.println(x); }
        @Override public void println() { out.println(); }
        @Override public void println(boolean x) { out.println(x); }
        @Override public void println(char x) { out.println(x); }
        @Override public void println(int x) { out.println(x); }
        @Override public void println(long x) { out.println(x); }
        @Override public void println(float x) { out.println(x); }
        @Override public void println(double x) { out.println(x); }
        @Override public void println(char[] x) { out.println(x); }
        @Override public void print(String x) { out.print(x); }
        @Override public void print(Object x) { out.print(x); }
        @Override public void print(boolean x) { out.print(x); }
        @Override public void print(char x) { out.print(x); }
        @Override public void print(int x) { out.print(x); }
        @Override public void print(long x) { out.print(x); }
        @Override public void print(float x) { out.print(x); }
        @Override public void print(double x) { out.print(x); }
        @Override public void print(char[] x) { out.print(x); }
        @Override public PrintStream format(String f, Object... a) { out.format(f, a); return this; }
        @Override public PrintStream format(Locale l, String f, Object... a) { out.format(l, f, a); return this; }
        @Override public PrintStream printf(String f, Object... a) { out.printf(f, a); return this; }
        @Override public PrintStream printf(Locale l, String f, Object... a) { out.printf(l, f, a); return this; }
        @Override public PrintStream append(CharSequence c) { out.append(c); return this; }
        @Override public PrintStream append(CharSequence c, int s, int e) { out.append(c, s, e); return this; }
        @Override public PrintStream append(char c) { out.append(c); return this; }
        @Override public void write(int b) { out.write(b); }
        @Override public void write(byte[] b, int off, int len) { out.write(b, off, len); }
        @Override public void flush() { out.flush(); }
        @Override public void close() { out.flush(); }   // never close the real stdout
        @Override public boolean checkError() { return out.checkError(); }
    }
}
