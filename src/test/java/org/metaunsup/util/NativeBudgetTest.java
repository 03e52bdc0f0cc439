package org.metaunsup.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.metaunsup.BadInputException;

/**
 * One thread's share of native memory: a share of the limit split among threads, or an override
 * in MiB that wins over both. Uses a property of its own, so no other test sees it.
 */
class NativeBudgetTest {

    private static final String PROPERTY = "metaunsup.test.native_budget_mb";

    @Test
    void theShareOfTheLimitIsSplitAmongTheThreads() {
        System.clearProperty(PROPERTY);
        long limit = Pointer.maxPhysicalBytes() > 0 ? Pointer.maxPhysicalBytes() : Pointer.totalPhysicalBytes();
        long one = NativeBudget.bytesPerThread(PROPERTY, 0.4, 1);
        assertEquals((long) (0.4 * limit), one);
        assertEquals((long) (0.4 * limit / 4), NativeBudget.bytesPerThread(PROPERTY, 0.4, 4));
        assertEquals(one, NativeBudget.bytesPerThread(PROPERTY, 0.4, 0), "no threads counts as one");
        assertTrue(one > 0);
    }

    @Test
    void anOverrideInMibWinsOverShareAndThreads() {
        System.setProperty(PROPERTY, " 300 ");
        try {
            assertEquals(300L << 20, NativeBudget.bytesPerThread(PROPERTY, 0.4, 1));
            assertEquals(300L << 20, NativeBudget.bytesPerThread(PROPERTY, 0.1, 8), "per thread, not split");
        } finally {
            System.clearProperty(PROPERTY);
        }
    }

    @Test
    void anOverrideThatIsNotAWholeNumberIsOneLineNamingTheProperty() {
        System.setProperty(PROPERTY, "1.5g");
        try {
            BadInputException e = assertThrows(BadInputException.class,
                    () -> NativeBudget.bytesPerThread(PROPERTY, 0.4, 1));
            assertTrue(e.getMessage().contains("-D" + PROPERTY + "=1.5g"), e.getMessage());
        } finally {
            System.clearProperty(PROPERTY);
        }
    }
}
