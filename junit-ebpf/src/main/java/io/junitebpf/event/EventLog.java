package io.junitebpf.event;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A bounded log of events numbered by arrival: event {@code n} is the n-th appended
 * (from 0). When full, the oldest is dropped and counted. A reader keeps the number
 * after the last event it saw and asks only for what came later. Not thread-safe:
 * {@link EventBuffer} guards it.
 */
final class EventLog<T> {

    private static final int INITIAL = 64;

    private final int capacity;
    /** Circular: event n lives at n % slots.length while kept. Grows by doubling up to capacity. */
    private Object[] slots;
    private long first;
    private long next;

    EventLog(int capacity) {
        this.capacity = capacity;
        this.slots = new Object[Math.min(capacity, INITIAL)];
    }

    void append(T event) {
        if (next - first == slots.length) {
            if (slots.length < capacity) {
                grow();
            } else {
                slots[(int) (first % slots.length)] = null;
                first++;
            }
        }
        slots[(int) (next % slots.length)] = event;
        next++;
    }

    private void grow() {
        Object[] bigger = new Object[(int) Math.min(capacity, 2L * slots.length)];
        for (long n = first; n < next; n++) {
            bigger[(int) (n % bigger.length)] = slots[(int) (n % slots.length)];
        }
        Arrays.fill(slots, null);
        slots = bigger;
    }

    /** The number of the oldest event kept. */
    long first() {
        return first;
    }

    /** The number the next event will get. */
    long next() {
        return next;
    }

    /** Events dropped to stay within the capacity. */
    long overflowed() {
        return first;
    }

    /**
     * Copies the kept events numbered {@code from} or later, oldest first, into {@code into}
     * from index 0, as many as fit; returns how many. The first is numbered
     * {@code max(from, first())}.
     */
    int copy(long from, Object[] into) {
        long start = Math.max(from, first);
        int count = (int) Math.max(0, Math.min(into.length, next - start));
        for (int i = 0; i < count; i++) {
            into[i] = slots[(int) ((start + i) % slots.length)];
        }
        return count;
    }

    /** The kept events numbered {@code from} or later, oldest first (a copy of only those). */
    @SuppressWarnings("unchecked")
    List<T> after(long from) {
        long start = Math.max(from, first);
        if (start >= next) {
            return List.of();
        }
        List<T> events = new ArrayList<>((int) (next - start));
        for (long n = start; n < next; n++) {
            events.add((T) slots[(int) (n % slots.length)]);
        }
        return events;
    }
}
