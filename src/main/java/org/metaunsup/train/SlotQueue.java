package org.metaunsup.train;

import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.metaunsup.util.Seeds;

/**
 * The task pool as the engines serve it: the slots not in flight, in rounds. A worker takes the
 * next idle slot, runs one truncation of it, hands the result to the trainer and gives the slot's
 * new state back; a slot is therefore never in flight twice.
 *
 * <p>Which slot is next: the one that has run the fewest truncations, and among those the first in
 * round r's order, a permutation of the slots drawn from the run seed and r. With one worker every
 * round serves each slot once, in a fresh order. A fixed order (0, 1, …, N−1 every round) would let
 * the same groups of slots fill every outer batch: with 16 slots and batches of 4 the training
 * meta-loss rippled with period 4. The choice depends only on the slots' own states and the seed,
 * so a resumed run serves them exactly as the straight run would have, whatever order it lists
 * them in. Thread-safe.
 */
final class SlotQueue {

    private final long orderSeed;
    private final PriorityQueue<WorkerState> idle;

    /**
     * @param slots every slot's state
     * @param seed the run seed (round orders are drawn from it)
     */
    SlotQueue(List<WorkerState> slots, long seed) {
        this.orderSeed = Seeds.derive(seed, "slot-order");
        this.idle = new PriorityQueue<>(Math.max(1, slots.size()),
                Comparator.comparingLong(WorkerState::truncations)
                        .thenComparingLong(this::placeInRound)
                        .thenComparingInt(WorkerState::workerId));
        idle.addAll(slots);
    }

    /**
     * A slot's place in the order of the round it is in: a uniform draw per (round, slot), so that
     * sorting by it is a uniformly random permutation of the slots for each round.
     */
    private long placeInRound(WorkerState s) {
        long round = new SplittableRandom(orderSeed + s.truncations()).nextLong();
        return new SplittableRandom(round + s.workerId()).nextLong();
    }

    /**
     * @param open polled while waiting; false ends the wait
     * @return the next slot, or null once {@code open} is false
     * @throws InterruptedException when interrupted while waiting
     */
    synchronized WorkerState take(BooleanSupplier open) throws InterruptedException {
        while (idle.isEmpty()) {
            if (!open.getAsBoolean()) {
                return null;
            }
            wait(100);
        }
        return open.getAsBoolean() ? idle.poll() : null;
    }

    /** @return the next slot, or null when every slot is in flight */
    synchronized WorkerState poll() {
        return idle.poll();
    }

    /**
     * @param state a slot's state after its truncation
     */
    synchronized void giveBack(WorkerState state) {
        idle.add(state);
        notifyAll();
    }
}
