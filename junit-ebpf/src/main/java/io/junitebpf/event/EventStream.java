package io.junitebpf.event;

import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ConditionTimeoutException;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/**
 * A live, typed stream of the events a BPF program writes: decoded into Java
 * records (checked against the object's BTF) as they arrive, kept in a bounded
 * buffer, and waited on with Awaitility.
 *
 * <p>Views made by {@link #filter} and {@link #fromProcess} share the buffer and
 * see only matching events. Waits stop early ("fail fast") when a condition
 * registered with {@link #failFastWhen} holds, e.g. the target exited. Every
 * timeout's message names the wait and shows the last events seen, decoded.
 *
 * @param <T> the event record
 */
public final class EventStream<T> implements AutoCloseable {

    /** How many of the latest events a failure message shows. */
    static final int SHOWN_IN_FAILURES = 10;

    private final EventBuffer<T> buffer;
    private final Predicate<? super T> filter;
    private final String description;

    EventStream(EventBuffer<T> buffer, Predicate<? super T> filter, String description) {
        this.buffer = buffer;
        this.filter = filter;
        this.description = description;
    }

    /**
     * Starts decoding {@code source} with {@code layout} on a background thread.
     *
     * @param capacity how many events to keep; older ones are dropped and counted in {@link #overflowed()}
     */
    public static <T extends Record> EventStream<T> open(EventSource source, RecordLayout<T> layout, int capacity) {
        EventBuffer<T> buffer = EventBuffer.start(source, layout, capacity);
        return new EventStream<>(buffer, e -> true, layout.type().getSimpleName() + " events from "
                + source.describe());
    }

    /** The events received so far that this view selects, oldest first. */
    public List<T> snapshot() {
        return buffer.snapshot().stream().<T>map(e -> e).filter(filter::test).toList();
    }

    /** How many events this view selects so far. */
    public int size() {
        return snapshot().size();
    }

    /** A view of only the events matching {@code predicate}. */
    public EventStream<T> filter(String what, Predicate<? super T> predicate) {
        Objects.requireNonNull(predicate, "predicate");
        return new EventStream<>(buffer, e -> filter.test(e) && predicate.test(e), description + ", " + what);
    }

    /** A view of only the events matching {@code predicate}. */
    public EventStream<T> filter(Predicate<? super T> predicate) {
        return filter("filtered", predicate);
    }

    /**
     * A view of the events of one process: those whose {@code tgid} (or {@code pid})
     * component, at top level or in a nested record, equals {@code pid}.
     *
     * @throws LayoutException when the record has no such component
     */
    public EventStream<T> fromProcess(long pid) {
        ProcessIds.Extractor extractor = ProcessIds.extractor(buffer.type());
        return filter("from pid " + pid, e -> extractor.pid(e) == pid);
    }

    /** Stops waits as soon as {@code condition} holds, failing with {@code reason}. Applies to the whole stream. */
    public EventStream<T> failFastWhen(String reason, BooleanSupplier condition) {
        buffer.failFast(reason, condition);
        return this;
    }

    /** Waits until an event matching {@code predicate} arrives and returns the first one. */
    public T awaitFirst(String what, Predicate<? super T> predicate, Duration timeout) {
        // keep the match found by the wait: the buffer may drop it (capacity) before a second look
        java.util.concurrent.atomic.AtomicReference<T> found = new java.util.concurrent.atomic.AtomicReference<>();
        wait("an event " + what, timeout, () -> {
            snapshot().stream().filter(predicate).findFirst().ifPresent(found::set);
            return found.get() != null;
        });
        return found.get();
    }

    /** Waits until at least {@code count} events arrived; returns the first {@code count}. */
    public List<T> awaitCount(int count, Duration timeout) {
        if (count < 0) {
            throw new IllegalArgumentException("await: negative count " + count);
        }
        java.util.concurrent.atomic.AtomicReference<List<T>> seen = new java.util.concurrent.atomic.AtomicReference<>();
        wait(count + " events", timeout, () -> {
            List<T> now = snapshot();
            seen.set(now);
            return now.size() >= count;
        });
        return seen.get().subList(0, count);
    }

    /** Waits until {@code condition} holds on the snapshot. */
    public void awaitUntil(String what, Predicate<List<T>> condition, Duration timeout) {
        wait(what, timeout, () -> condition.test(snapshot()));
    }

    /** Events dropped because the buffer was full (oldest first). */
    public long overflowed() {
        return buffer.overflowed();
    }

    /** Records that could not be decoded (e.g. shorter than the struct). */
    public long undecodable() {
        return buffer.undecodable();
    }

    /** Every event this stream failed to keep: overflow, undecodable records, and what the source reported lost. */
    public long lost() {
        return buffer.overflowed() + buffer.undecodable() + buffer.sourceLost();
    }

    /** All records received from the source, before any filter. */
    public long received() {
        return buffer.received();
    }

    /** What this stream is, for messages. */
    public String description() {
        return description;
    }

    /** The last events of this view and the stream's counters, as failure messages show them. */
    public String describeRecent() {
        List<T> seen = snapshot();
        StringBuilder text = new StringBuilder();
        text.append(seen.size()).append(" event(s) in ").append(description)
                .append(" (received ").append(received()).append(", lost ").append(lost()).append(')');
        buffer.firstDecodeError().ifPresent(e -> text.append("\n  first decode error: ").append(e));
        int from = Math.max(0, seen.size() - SHOWN_IN_FAILURES);
        if (from > 0) {
            text.append("\n  ... ").append(from).append(" earlier");
        }
        for (T event : seen.subList(from, seen.size())) {
            text.append("\n  ").append(event);
        }
        return text.toString();
    }

    private void wait(String what, Duration timeout, java.util.concurrent.Callable<Boolean> condition) {
        ConditionFactory factory = await(what + " in " + description)
                .atMost(timeout)
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(10));
        // Awaitility keeps one fail-fast condition: check them all in one, naming the one that holds
        factory = factory.failFast("the wait cannot succeed any more", () -> {
            if (buffer.pollerFailed()) {
                throw new AssertionError("reading the event source failed");
            }
            for (EventBuffer.FailFast f : buffer.failFasts()) {
                if (f.condition().getAsBoolean()) {
                    throw new AssertionError(f.reason());
                }
            }
        });
        buffer.rethrowPollerFailure();
        try {
            factory.until(condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("Timed out after " + timeout.toMillis() + " ms waiting for " + what + ".\n"
                    + describeRecent(), e);
        } catch (org.awaitility.core.TerminalFailureException e) {
            buffer.rethrowPollerFailure();
            throw new AssertionError("Stopped waiting for " + what + ": " + e.getMessage() + "\n" + describeRecent(),
                    e);
        }
    }

    /** Stops reading and closes the source; shared by every view. Idempotent. */
    @Override
    public void close() {
        buffer.close();
    }

    @Override
    public String toString() {
        return "EventStream[" + description + ", " + size() + " events]";
    }
}
