package org.metaunsup.unroll;

/**
 * How this process runs gradient passes and rule steps: the native-memory choices that reach
 * beyond one graph, and the only place that decides when garbage is collected.
 * They belong to whoever owns the process or the pass (a command, a trainer, a user's own JVM),
 * never to the graph code: graphs, {@link MetaGradient#compute} and {@link RuleStep} change
 * nothing process-wide and never collect garbage themselves.
 *
 * <p>Why each choice exists (docs/BENCHMARKS.md): nd4j frees native arrays only when the JVM
 * collects their Java wrappers, or when a session's memory manager closes them. Sessions that
 * free each intermediate after its last use ({@link #eagerSessions()}) let the allocator hand
 * the same pages back within a pass (small K=5 peak RSS 7.2 → 1.5 GB); without them, a
 * collection before each meta-gradient ({@link #collectBeforePass()}) is what kept every pass
 * from landing on fresh pages (small K=5: 830k page faults and 23 s, against ~600 faults and
 * 6–8 s). With N worker threads in one JVM, a collection stops all of them: a trainer that
 * collects should do so once per round of passes, not once per thread.
 *
 * @param eagerSessions gradient passes free intermediate arrays as soon as they are dead
 *     (process-wide: binds SameDiff's session factory, delegating to the one bound before)
 * @param collectBeforePass {@link #beforePass()} runs a full collection
 * @param collectBeforeStep {@link #beforeStep()} runs a full collection. A forward rule step
 *     runs outside eager sessions, so its arrays are freed only when their wrappers are
 *     collected: without a collection a long run of steps (the loading API's
 *     {@code LearnedRule.Trainer}) holds more and more native memory (small, 196-128×4-32: 1.4 GB
 *     after 120 steps, 2.7 GB after 420, against 0.4 GB with it), at some cost in time per step
 *     (0–30 % in our runs on a shared machine)
 */
public record RuntimePolicy(boolean eagerSessions, boolean collectBeforePass, boolean collectBeforeStep) {

    /** nd4j's own behaviour: nothing changes process-wide. What a JVM gets that installs nothing. */
    public static final RuntimePolicy NONE = new RuntimePolicy(false, false, false);

    /**
     * The command line's choice, and what {@code bench} measures: eager sessions; no collection
     * before a gradient pass, since eager sessions already free each pass's intermediates; a
     * collection before each step of the loading API, which keeps a long {@code features} run's
     * memory flat.
     */
    public static final RuntimePolicy COMMAND_LINE = new RuntimePolicy(true, false, true);

    /**
     * A policy that does not collect before rule steps.
     *
     * @param eagerSessions gradient passes free intermediate arrays as soon as they are dead
     * @param collectBeforePass {@link #beforePass()} runs a full collection
     */
    public RuntimePolicy(boolean eagerSessions, boolean collectBeforePass) {
        this(eagerSessions, collectBeforePass, false);
    }

    /**
     * Applies the process-wide part of this policy (the session factory), replacing whatever
     * policy was installed before. Call it once, from the program's owner.
     */
    public void install() {
        synchronized (RuntimePolicy.class) {
            GradientFunction.configure(eagerSessions);
            Installed.policy = this;
        }
    }

    /** @return the policy installed last in this process ({@link #NONE} until one is) */
    public static RuntimePolicy installed() {
        return Installed.policy;
    }

    /**
     * What the owner of a pass calls right before it: a full collection when
     * {@link #collectBeforePass()}, so that the previous pass's native arrays are freed and
     * their pages reused.
     */
    public void beforePass() {
        if (collectBeforePass) {
            System.gc();
        }
    }

    /**
     * What the owner of a run of forward rule steps calls before each one (the loading API's
     * trainer does): a full collection when {@link #collectBeforeStep()}.
     */
    public void beforeStep() {
        if (collectBeforeStep) {
            System.gc();
        }
    }

    /** Holder of the installed policy (a record cannot have mutable static fields of its own). */
    private static final class Installed {
        private static volatile RuntimePolicy policy = NONE;
    }
}
