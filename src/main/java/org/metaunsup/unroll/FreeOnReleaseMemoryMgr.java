package org.metaunsup.unroll;

import org.nd4j.autodiff.samediff.internal.SessionMemMgr;
import org.nd4j.autodiff.samediff.internal.memory.AbstractMemoryMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A session memory manager that frees an intermediate array's native memory the moment the
 * session releases it (the session releases an array once no op that is still to run needs it).
 *
 * <p>Why not SameDiff's own managers: {@code NoOpMemoryMgr} ignores releases and leaves every
 * array to the garbage collector, and the Java heap is too small for a collection to happen
 * within a pass; the default {@code ArrayCacheMemoryMgr} keeps released arrays for reuse by
 * shape and grows. Freed at once, glibc hands the same pages back to the next allocation (with
 * the allocator settings of {@code util.Launcher}), so memory is reused without page faults and
 * resident memory stays near the live set. Releases only happen when the graph's cache flag is
 * on, see {@link GradientFunction#run}.
 */
public final class FreeOnReleaseMemoryMgr extends AbstractMemoryMgr implements SessionMemMgr {

    @Override
    public INDArray allocate(boolean detached, DataType dataType, long... shape) {
        return Nd4j.createUninitialized(dataType, shape);
    }

    @Override
    public INDArray allocate(boolean detached, LongShapeDescriptor descriptor) {
        return Nd4j.create(descriptor, false);
    }

    @Override
    public void release(INDArray array) {
        // A view or an array whose buffer is shared cannot be closed without its owner; the
        // garbage collector frees those.
        if (array.closeable() && !array.wasClosed()) {
            array.close();
        }
    }

    @Override
    public void close() {
        // Nothing is held.
    }
}
