package org.metaunsup.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** The trainer's memory guard collects on growth past its step, and only then. */
class NativeMemoryGuardTest {

    @Test
    void collectsWhenResidentMemoryGrewByTheStepAndNotOtherwise() {
        NativeMemoryGuard never = new NativeMemoryGuard(Long.MAX_VALUE / 4);
        NativeMemoryGuard always = new NativeMemoryGuard(Long.MIN_VALUE / 4);
        for (int i = 0; i < 3; i++) {
            // 64 MB of native memory whose wrapper is dropped at once: garbage only a collection frees.
            Nd4j.create(DataType.FLOAT, 16, 1024, 1024).assign(1);
            never.afterGradient();
            always.afterGradient();
        }
        assertEquals(0, never.collections());
        assertEquals(3, always.collections());
    }
}
