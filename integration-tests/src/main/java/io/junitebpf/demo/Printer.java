package io.junitebpf.demo;

import io.junitebpf.bpf.RingBuffer;
import io.junitebpf.event.RecordLayout;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Reads one ring buffer and prints the events it selects, one seed line each,
 * as they arrive.
 *
 * @param <T> the event record
 */
final class Printer<T extends Record> {

    private static final Duration POLL = Duration.ofMillis(50);

    private final RingBuffer ring;
    private final RecordLayout<T> layout;
    private final Predicate<T> selected;
    private final Function<T, String> line;
    private final PrintStream out;
    private final List<T> printed = new ArrayList<>();

    Printer(RingBuffer ring, RecordLayout<T> layout, Predicate<T> selected, Function<T, String> line,
            PrintStream out) {
        this.ring = ring;
        this.layout = layout;
        this.selected = selected;
        this.line = line;
        this.out = out;
    }

    /**
     * Prints what arrives until {@code wanted} events were printed in all,
     * {@code deadline} (System.nanoTime) passed, or the producer has
     * {@code finished} and the ring is empty; returns whether it got them all.
     */
    boolean printUntil(int wanted, long deadline, BooleanSupplier finished) {
        while (printed.size() < wanted && System.nanoTime() < deadline) {
            boolean wasFinished = finished.getAsBoolean(); // before the poll: what it wrote is in the ring by now
            int handled = ring.poll(POLL, bytes -> {
                T event = layout.decode(bytes);
                if (printed.size() < wanted && selected.test(event)) {
                    printed.add(event);
                    out.println(line.apply(event));
                }
            });
            if (handled == 0 && wasFinished) {
                break;
            }
        }
        out.flush();
        return printed.size() >= wanted;
    }

    /** How many events were printed so far. */
    int count() {
        return printed.size();
    }
}
