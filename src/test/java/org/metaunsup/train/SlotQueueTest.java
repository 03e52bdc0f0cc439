package org.metaunsup.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The pool's serving order with one worker: each round serves every slot once, the rounds' orders
 * differ (so outer batches do not repeat the same groups of slots), the order is a function of the
 * seed and of the slots' states only (a queue rebuilt mid-round from the states, in any list order,
 * goes on as the straight one), and a slot is never handed out twice.
 */
class SlotQueueTest {

    static final int POOL = 16;
    static final int BATCH = 4;

    /** One worker: take a slot, run one "truncation" (count it), give it back; the ids served. */
    static List<Integer> serve(SlotQueue q, int n) {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            WorkerState s = q.poll();
            ids.add(s.workerId());
            q.giveBack(new WorkerState(s.workerId(), s.tasksStarted(), s.truncations() + 1, null));
        }
        return ids;
    }

    static List<WorkerState> fresh() {
        return IntStream.range(0, POOL).mapToObj(WorkerState::fresh).toList();
    }

    @Test
    void everyRoundServesEachSlotOnceInItsOwnOrder() {
        List<Integer> ids = serve(new SlotQueue(fresh(), 7), 4 * POOL);
        Set<List<Integer>> orders = new HashSet<>();
        for (int r = 0; r < 4; r++) {
            List<Integer> round = ids.subList(r * POOL, (r + 1) * POOL);
            assertEquals(POOL, new HashSet<>(round).size(), "round " + r + " serves every slot once: " + round);
            orders.add(round);
        }
        assertEquals(4, orders.size(), "each round in a fresh order");
        assertNotEquals(IntStream.range(0, POOL).boxed().toList(), ids.subList(0, POOL), "not by id");
        // The ripple this order removes: with a fixed order the same 4 groups of slots fill every
        // batch of 4. Here the first round's batches are not the second round's.
        Set<Set<Integer>> first = batches(ids.subList(0, POOL));
        Set<Set<Integer>> second = batches(ids.subList(POOL, 2 * POOL));
        assertNotEquals(first, second);
    }

    static Set<Set<Integer>> batches(List<Integer> round) {
        Set<Set<Integer>> out = new HashSet<>();
        for (int b = 0; b < round.size(); b += BATCH) {
            out.add(new HashSet<>(round.subList(b, b + BATCH)));
        }
        return out;
    }

    @Test
    void theSeedFixesTheOrder() {
        assertEquals(serve(new SlotQueue(fresh(), 7), 3 * POOL), serve(new SlotQueue(fresh(), 7), 3 * POOL));
        assertNotEquals(serve(new SlotQueue(fresh(), 7), 3 * POOL), serve(new SlotQueue(fresh(), 8), 3 * POOL));
    }

    @Test
    void aQueueRebuiltFromTheStatesGoesOnAsTheStraightOne() {
        List<Integer> straight = serve(new SlotQueue(fresh(), 7), 3 * POOL);
        SlotQueue first = new SlotQueue(fresh(), 7);
        List<Integer> resumed = new ArrayList<>(serve(first, POOL + 5));
        List<WorkerState> states = new ArrayList<>();
        for (WorkerState s; (s = first.poll()) != null; ) {
            states.add(s);
        }
        Collections.reverse(states);
        resumed.addAll(serve(new SlotQueue(states, 7), 2 * POOL - 5));
        assertEquals(straight, resumed);
    }

    @Test
    void aSlotIsNeverHandedOutTwice() throws InterruptedException {
        SlotQueue q = new SlotQueue(fresh(), 7);
        Set<Integer> out = new HashSet<>();
        for (int i = 0; i < POOL; i++) {
            assertTrue(out.add(q.take(() -> true).workerId()));
        }
        assertNull(q.poll(), "every slot is in flight");
        assertNull(q.take(() -> false), "a closed wait ends");
    }
}
