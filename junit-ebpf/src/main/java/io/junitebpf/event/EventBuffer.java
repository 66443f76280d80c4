package io.junitebpf.event;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * The shared state behind an {@link EventStream} and its views: a bounded
 * buffer fed by one poller thread, the counters, and the fail-fast conditions.
 */
final class EventBuffer<T> implements AutoCloseable {

    record FailFast(String reason, BooleanSupplier condition) {
    }

    private static final Duration POLL_TIMEOUT = Duration.ofMillis(50);

    private final EventSource source;
    private final RecordLayout<? extends Record> layout;
    private final int capacity;
    private final ArrayDeque<T> events = new ArrayDeque<>();
    private final List<FailFast> failFasts = new CopyOnWriteArrayList<>();
    private Thread poller;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile RuntimeException pollerFailure;
    private long received;
    private long overflowed;
    private long undecodable;
    private String firstDecodeError;

    private EventBuffer(EventSource source, RecordLayout<? extends Record> layout, int capacity) {
        this.source = source;
        this.layout = layout;
        this.capacity = capacity;
    }

    static <T extends Record> EventBuffer<T> start(EventSource source, RecordLayout<T> layout, int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("event stream: capacity must be positive, got " + capacity);
        }
        EventBuffer<T> buffer = new EventBuffer<>(source, layout, capacity);
        buffer.discardPending();
        buffer.poller = Thread.ofPlatform().daemon().name("junit-ebpf-events-" + layout.type().getSimpleName())
                .start(buffer::run);
        return buffer;
    }

    /**
     * A stream starts empty: records already in the buffer when it opens were written for someone
     * else (with a PER_CLASS object, an earlier test's target firing until it was stopped).
     */
    private void discardPending() {
        for (int round = 0; round < 1_000 && source.poll(Duration.ZERO, record -> { }) > 0; round++) {
            // drop them
        }
    }

    Class<?> type() {
        return layout.type();
    }

    private void run() {
        while (!closed.get()) {
            try {
                source.poll(POLL_TIMEOUT, record -> {
                    Object event;
                    try {
                        event = layout.decode(record);
                    } catch (RuntimeException e) { // a layout mismatch, or a record's own constructor check
                        synchronized (this) {
                            received++;
                            undecodable++;
                            if (firstDecodeError == null) {
                                firstDecodeError = e.getClass().getSimpleName() + ": " + e.getMessage();
                            }
                        }
                        return;
                    }
                    add(event);
                });
            } catch (RuntimeException e) {
                if (!closed.get()) {
                    pollerFailure = e;
                }
                return;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private synchronized void add(Object event) {
        received++;
        if (events.size() == capacity) {
            events.removeFirst();
            overflowed++;
        }
        events.addLast((T) event);
    }

    synchronized List<T> snapshot() {
        return List.copyOf(events);
    }

    synchronized long received() {
        return received;
    }

    synchronized long overflowed() {
        return overflowed;
    }

    synchronized long undecodable() {
        return undecodable;
    }

    synchronized Optional<String> firstDecodeError() {
        return Optional.ofNullable(firstDecodeError);
    }

    long sourceLost() {
        return closed.get() ? 0 : source.lost();
    }

    void failFast(String reason, BooleanSupplier condition) {
        failFasts.add(new FailFast(reason, condition));
    }

    List<FailFast> failFasts() {
        return failFasts;
    }

    void rethrowPollerFailure() {
        RuntimeException failure = pollerFailure;
        if (failure != null) {
            throw new IllegalStateException("event stream: reading " + source.describe() + " failed: "
                    + failure.getMessage(), failure);
        }
    }

    boolean closed() {
        return closed.get();
    }

    /** Whether the poller died (the stream receives nothing more). */
    boolean pollerFailed() {
        return pollerFailure != null;
    }

    /** Stops the poller, then closes the source. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            poller.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        source.close();
    }
}
