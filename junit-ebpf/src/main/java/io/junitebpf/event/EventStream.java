package io.junitebpf.event;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A live, typed stream of the events a BPF program writes: decoded into Java
 * records (checked against the object's BTF) as they arrive, kept in a bounded
 * buffer, and waited on: a wait blocks until events arrive and examines only
 * the ones it has not seen (no polling interval, no copy of the whole buffer).
 *
 * <p>Views made by {@link #filter} and {@link #fromProcess} share the buffer and
 * see only matching events. Waits stop early ("fail fast") when a condition
 * registered with {@link #failFastWhen} holds, and end as soon as they cannot
 * succeed any more: the producers registered with {@link #producedBy} (the
 * launched targets) ended and what they wrote was read. Every failure names the
 * wait, what it saw, and the last events, decoded.
 *
 * @param <T> the event record
 */
public final class EventStream<T> implements AutoCloseable {

    /** How many of the latest events a failure message shows. */
    static final int SHOWN_IN_FAILURES = 10;

    /** Precedes the description in {@link #describeRecent()}: how a message shows it holds a stream's events. */
    public static final String RECENT_HEADER = " event(s) in ";

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

    /**
     * Stops waits as soon as {@code condition} holds, failing with {@code reason}. Applies to the
     * whole stream. It is checked whenever a wait wakes (an event arrived, a producer ended), not
     * on a timer: to be woken by something else, register it with {@link #producedBy}.
     */
    public EventStream<T> failFastWhen(String reason, BooleanSupplier condition) {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(condition, "condition");
        buffer.failFast(reason, condition);
        buffer.signal();
        return this;
    }

    /**
     * How a producer of this stream's events ended, e.g. a target process's exit.
     *
     * @param what     for messages, e.g. "target umark[pid 12] exited with 0"
     * @param abnormal whether it failed (then waits stop even while other producers run)
     */
    public record End(String what, boolean abnormal) {
        public End {
            Objects.requireNonNull(what, "what");
        }
    }

    /**
     * Registers a producer of this stream's events (applies to the whole stream). Once it
     * ended ({@code end} completed) and the records it wrote were read, waits that have not
     * succeeded stop and say why: at once when it ended abnormally, else when every
     * registered producer has ended — nothing can arrive any more.
     */
    public EventStream<T> producedBy(CompletionStage<End> end) {
        Objects.requireNonNull(end, "end");
        buffer.producer(end);
        return this;
    }

    /** Waits until an event matching {@code predicate} arrives and returns the first one. */
    public T awaitFirst(String what, Predicate<? super T> predicate, Duration timeout) {
        Objects.requireNonNull(predicate, "predicate");
        return await("an event " + what, timeout, new EventWait<>() {
            @Override
            T examine(T event) {
                return predicate.test(event) ? event : null;
            }
        });
    }

    /**
     * Waits until an event satisfies {@code requirements} (assertions that throw
     * AssertionError) and returns it; a failure quotes the requirements' own error for the
     * last event examined (expected vs actual).
     */
    public T awaitFirstSatisfying(String what, Consumer<? super T> requirements, Duration timeout) {
        Objects.requireNonNull(requirements, "requirements");
        return await("an event " + what, timeout, new EventWait<>() {
            private long examined;
            private AssertionError last;

            @Override
            T examine(T event) {
                examined++;
                try {
                    requirements.accept(event);
                    return event;
                } catch (AssertionError e) {
                    last = e;
                    return null;
                }
            }

            @Override
            String progress() {
                return last == null ? "\nNo event was examined."
                        : "\nThe last of " + examined + " event(s) examined failed the requirements with:\n  "
                        + String.valueOf(last.getMessage()).strip().replace("\n", "\n  ");
            }
        });
    }

    /** Waits until at least {@code count} events arrived; returns the first {@code count}. */
    public List<T> awaitCount(int count, Duration timeout) {
        requireCount(count);
        List<T> seen = new ArrayList<>();
        return await(count + " events", timeout, new EventWait<>() {
            @Override
            List<T> examine(T event) {
                seen.add(event);
                return done();
            }

            @Override
            List<T> atWake(long now) {
                return done();
            }

            private List<T> done() {
                return seen.size() >= count ? List.copyOf(seen.subList(0, count)) : null;
            }

            @Override
            String progress() {
                return "\n" + seen.size() + " of " + count + " arrived.";
            }
        });
    }

    /**
     * Waits until exactly {@code count} events arrived and no more arrive until the producers
     * ended (see {@link #producedBy}) or {@code quiet} passed after the last; fails at once
     * when one more arrives. Returns the {@code count} events.
     */
    public List<T> awaitExactly(int count, Duration quiet, Duration timeout) {
        requireCount(count);
        requireDuration(quiet, "quiet period");
        List<T> seen = new ArrayList<>();
        return await("exactly " + count + " events", timeout, new EventWait<>() {
            /** When the count was reached; for 0, from the start. */
            private long reachedAt = System.nanoTime();

            @Override
            List<T> examine(T event) {
                seen.add(event);
                if (seen.size() == count) {
                    reachedAt = System.nanoTime();
                } else if (seen.size() > count) {
                    throw new AssertionError("Expecting exactly " + count + " events but event #" + seen.size()
                            + " arrived: " + event + "\n" + describeRecent());
                }
                return null;
            }

            @Override
            long wakeAt(long timeoutAt) {
                return seen.size() == count ? Math.min(timeoutAt, reachedAt + quiet.toNanos()) : timeoutAt;
            }

            @Override
            List<T> atWake(long now) {
                return seen.size() == count && now - reachedAt >= quiet.toNanos()
                        ? List.copyOf(seen) : null;
            }

            @Override
            List<T> atEnd() {
                return seen.size() == count ? List.copyOf(seen) : null;
            }

            @Override
            List<T> atTimeout() {
                // exactly count and none more for as long as we were allowed to look
                return seen.size() == count ? List.copyOf(seen) : null;
            }

            @Override
            String progress() {
                return "\n" + seen.size() + " of " + count + " arrived.";
            }
        });
    }

    /** Waits until {@code condition} holds on the events of this view received so far. */
    public void awaitUntil(String what, Predicate<List<T>> condition, Duration timeout) {
        Objects.requireNonNull(condition, "condition");
        List<T> seen = new ArrayList<>();
        List<T> view = java.util.Collections.unmodifiableList(seen);
        await(what, timeout, new EventWait<T, Boolean>() {
            @Override
            Boolean examine(T event) {
                seen.add(event);
                return null;
            }

            @Override
            Boolean atWake(long now) {
                return condition.test(view) ? Boolean.TRUE : null;
            }
        });
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
        text.append(seen.size()).append(RECENT_HEADER).append(description)
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

    private <R> R await(String what, Duration timeout, EventWait<T, R> wait) {
        requireDuration(timeout, "timeout");
        buffer.rethrowPollerFailure();
        long timeoutAt = EventBuffer.deadline(timeout);
        long cursor = buffer.first();
        Object[] chunk = buffer.chunkFor(cursor); // reused for each batch: nothing allocated per event
        while (true) {
            List<EventBuffer.FailFast> failFasts = buffer.failFasts();
            for (int i = 0; i < failFasts.size(); i++) { // indexed: no iterator per wake
                EventBuffer.FailFast f = failFasts.get(i);
                if (f.condition().getAsBoolean()) {
                    throw stopped(what, f.reason(), wait);
                }
            }
            EventBuffer.Batch batch;
            try {
                batch = buffer.next(cursor, wait.wakeAt(timeoutAt), chunk);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw stopped(what, "interrupted", wait);
            }
            cursor = batch.next();
            for (int i = 0; i < batch.count(); i++) {
                @SuppressWarnings("unchecked")
                T event = (T) chunk[i];
                chunk[i] = null;
                if (filter.test(event)) {
                    R result = wait.examine(event);
                    if (result != null) {
                        return result;
                    }
                }
            }
            if (batch.more()) {
                continue; // catch up before asking whether the wait is over
            }
            long now = System.nanoTime();
            R result = wait.atWake(now);
            if (result != null) {
                return result;
            }
            if (buffer.pollerFailed()) {
                buffer.rethrowPollerFailure();
            }
            if (buffer.closed()) {
                throw stopped(what, "the stream was closed", wait);
            }
            if (batch.ended().isPresent()) {
                result = wait.atEnd();
                if (result != null) {
                    return result;
                }
                throw stopped(what, batch.ended().get() + ", and the records it wrote were read: "
                        + "the wait cannot succeed any more", wait);
            }
            if (now - timeoutAt >= 0) {
                result = wait.atTimeout();
                if (result != null) {
                    return result;
                }
                throw new AssertionError("Timed out after " + timeout.toMillis() + " ms waiting for " + what + "."
                        + wait.progress() + "\n" + describeRecent());
            }
        }
    }

    private AssertionError stopped(String what, String why, EventWait<T, ?> wait) {
        return new AssertionError("Stopped waiting for " + what + ": " + why + "." + wait.progress() + "\n"
                + describeRecent());
    }

    private static void requireCount(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("await: negative count " + count);
        }
    }

    private static void requireDuration(Duration duration, String what) {
        Objects.requireNonNull(duration, what);
        if (duration.isNegative()) {
            throw new IllegalArgumentException("await: negative " + what + " " + duration);
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
