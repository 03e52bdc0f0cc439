package org.metaunsup.train;

import java.util.ArrayDeque;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The task pool as the engines serve it: the slots not in flight, first in first out. A worker
 * takes the slot at the head, runs one truncation of it, hands the result to the trainer and puts
 * the slot's new state at the back; a slot is therefore never in flight twice and, with one
 * worker, slots are served strictly round robin (0, 1, …, N−1, 0, …). Thread-safe.
 */
final class SlotQueue {

    private final ArrayDeque<WorkerState> idle;

    /**
     * @param slots every slot's state, in the order they are to be served
     */
    SlotQueue(List<WorkerState> slots) {
        this.idle = new ArrayDeque<>(slots);
    }

    /**
     * @param open polled while waiting; false ends the wait
     * @return the slot at the head, or null once {@code open} is false
     * @throws InterruptedException when interrupted while waiting
     */
    synchronized WorkerState take(BooleanSupplier open) throws InterruptedException {
        while (idle.isEmpty()) {
            if (!open.getAsBoolean()) {
                return null;
            }
            wait(100);
        }
        return open.getAsBoolean() ? idle.pollFirst() : null;
    }

    /** @return the slot at the head, or null when every slot is in flight */
    synchronized WorkerState poll() {
        return idle.pollFirst();
    }

    /**
     * @param state a slot's state after its truncation (goes to the back)
     */
    synchronized void giveBack(WorkerState state) {
        idle.addLast(state);
        notifyAll();
    }
}
