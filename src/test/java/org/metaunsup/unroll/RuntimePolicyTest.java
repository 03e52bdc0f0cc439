package org.metaunsup.unroll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.metaunsup.util.CustomOps;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Process-wide effects happen only when a policy is installed, and uninstalling restores what
 * was there; registering our ops touches no thread setting. (The fresh-JVM round trips check
 * the same for a JVM that only calls {@link CustomOps#register()}.)
 */
class RuntimePolicyTest {

    @Test
    void sessionFactoryChangesOnlyWhenInstalledAndIsRestored() {
        RuntimePolicy found = RuntimePolicy.installed();
        try {
            RuntimePolicy.NONE.install();
            Object nd4jOwn = SameDiff.getInferenceFactory();
            RuntimePolicy.COMMAND_LINE.install();
            assertNotSame(nd4jOwn, SameDiff.getInferenceFactory());
            assertEquals(RuntimePolicy.COMMAND_LINE, RuntimePolicy.installed());
            RuntimePolicy.COMMAND_LINE.install();   // idempotent: no second wrapper
            RuntimePolicy.NONE.install();
            assertSame(nd4jOwn, SameDiff.getInferenceFactory());
        } finally {
            found.install();
        }
    }

    @Test
    void registeringOpsKeepsThreadSettings() {
        int threads = Nd4j.getEnvironment().maxThreads();
        int blas = Nd4j.factory().blas().getMaxThreads();
        Object factory = SameDiff.getInferenceFactory();
        CustomOps.register();
        assertEquals(threads, Nd4j.getEnvironment().maxThreads());
        assertEquals(blas, Nd4j.factory().blas().getMaxThreads());
        assertSame(factory, SameDiff.getInferenceFactory());
    }

    @Test
    void onlyTheCommandLineCollectsBeforeRuleSteps() {
        assertTrue(RuntimePolicy.COMMAND_LINE.collectBeforeStep(), "features keeps its memory flat");
        assertFalse(RuntimePolicy.COMMAND_LINE.collectBeforePass(), "eager sessions free each pass already");
        assertFalse(RuntimePolicy.NONE.collectBeforeStep(), "a JVM that installs nothing is never collected");
        assertFalse(new RuntimePolicy(true, true).collectBeforeStep(), "the two-choice policy does not collect");
    }
}
