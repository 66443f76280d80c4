package io.junitebpf.event;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The shared state behind an {@link EventStream} and its views: a bounded log of
 * decoded events fed by one reader at a time (see below), each with a sequence
 * number, and what ends the waits on it.
 *
 * <p>One thread at a time reads the source: the poller thread, or a waiting thread
 * that took it over ({@link #becomeReader}), so the kernel wakes the wait itself when
 * a record arrives. Other waits block on a condition signalled when a poll handed
 * over records, when a producer ended and its records were read, and when reading
 * failed or the stream closed. Each wait asks only for the events after the last
 * sequence number it saw. Nothing polls the source on a timer: the reader blocks in epoll on the ring.
 *
 * <p>A wait that stops reading does not wake the poller: while a wait reads, the poller looks
 * every {@link #POLL_TIMEOUT} whether it still does, and takes reading back by itself. Waking it
 * cost every wait a futex wake-up on its way out, and on this project's 2-core VMs the woken
 * poller often ran first: 35 µs of a wait's p50 went there (scripts/bench-waits: part 2, from
 * decoded to returned, p50 42-46 µs before, 9-17 after). Meanwhile records stay in the kernel's
 * ring, and the next wait reads them itself; only a stream nobody waits on any more is read up
 * to {@link #POLL_TIMEOUT} later (size a ring for that many records of a fast producer).
 */
final class EventBuffer<T> implements AutoCloseable {

    record FailFast(String reason, BooleanSupplier condition) {
    }

    /**
     * What a wait gets when it wakes: how many events after its cursor were copied into its
     * array, the cursor after them, whether more are waiting (the array was full), and why waits
     * end, if so — told only once the wait has caught up, so it never ends with events unseen.
     */
    record Batch(int count, long next, boolean more, Optional<String> ended) {
    }

    /**
     * How long the reader blocks in epoll before it looks again: an event wakes it at once, and
     * so do a producer's end and close where the source can be woken; this bounds how long they
     * take where it cannot.
     */
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(50);
    /** Bounds of the array a wait copies new events into, per wake. */
    private static final int MIN_CHUNK = 8;
    private static final int MAX_CHUNK = 64;

    private final EventSource source;
    private final RecordLayout<? extends Record> layout;
    private final EventLog<T> log;
    private final List<FailFast> failFasts = new CopyOnWriteArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    /** Held by the reader from a poll of the source, its blocking included, until what it read is in the log. */
    private final ReentrantLock pollLock = new ReentrantLock();
    /** Under {@link #lock}: a waiting thread reads, or is taking over reading; the poller stays out meanwhile. */
    private boolean waiterReads;
    private final Condition pollerMayRead = lock.newCondition();
    private final Condition changed = lock.newCondition();
    private final AtomicBoolean closed = new AtomicBoolean();
    private Thread poller;
    private volatile RuntimeException pollerFailure;
    private long received;
    private long undecodable;
    private String firstDecodeError;
    /** Polls begun and completed: an end counts once a poll begun after it completed (its records are in). */
    private long pollsBegun;
    private long pollsCompleted;
    private int producers;
    private int producersEnded;
    /** Ends waiting for their drain: the poll number after which they count, and what they say. */
    private final List<PendingEnd> pendingEnds = new ArrayList<>();
    private String ended;
    /**
     * {@link #accept}, made once (a method reference per poll would be garbage per wakeup): each record as
     * its place in the source's view, so no object per record but the event itself.
     */
    private final io.junitebpf.bpf.RecordHandler handler = this::accept;
    /** The reader's own: what the current poll decoded, not yet in the log. */
    private final List<T> decoded = new ArrayList<>();
    private long decodeFailures;
    private String pollDecodeError;

    private record PendingEnd(long afterPoll, String what, boolean abnormal) {
    }

    private EventBuffer(EventSource source, RecordLayout<? extends Record> layout, int capacity) {
        this.source = source;
        this.layout = layout;
        this.log = new EventLog<>(capacity);
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
            lock.lock();
            try {
                // timed: a wait that stops reading does not signal (see the class comment)
                while (waiterReads && !closed.get()) {
                    pollerMayRead.awaitNanos(POLL_TIMEOUT.toNanos());
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            try {
                pollOnce(POLL_TIMEOUT, true);
            } catch (RuntimeException e) {
                return; // recorded for the waits to report
            }
        }
    }

    /**
     * One poll of the source by the reader (the poller thread, or a waiting thread that took over), and the
     * publication of what it read: records reach the log in ring order, and waits are woken.
     *
     * @param poller whether the poller thread calls: it gives way to a waiting thread that reads
     * @throws RuntimeException when reading failed (then recorded in {@link #pollerFailure}, waits woken)
     */
    private void pollOnce(Duration timeout, boolean poller) {
        pollLock.lock();
        try {
            long number;
            boolean endPending;
            lock.lock();
            try {
                if (poller && waiterReads) {
                    return;
                }
                number = ++pollsBegun;
                endPending = !pendingEnds.isEmpty();
            } finally {
                lock.unlock();
            }
            int n;
            try {
                // an end waits for this poll: do not block in epoll when the ring is empty
                n = source.poll(endPending ? Duration.ZERO : timeout, handler);
            } catch (RuntimeException e) {
                lock.lock();
                try {
                    publishDecoded(); // what was read before the failure still counts
                    if (!closed.get() && pollerFailure == null) {
                        pollerFailure = e;
                    }
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
                throw e;
            }
            lock.lock();
            try {
                publishDecoded();
                pollsCompleted = number;
                boolean endsDrained = settleEnds();
                if (n > 0 || endsDrained) {
                    changed.signalAll();
                }
            } finally {
                lock.unlock();
            }
        } finally {
            pollLock.unlock();
        }
    }

    /** Decodes outside the lock, on the reader's thread; the batch is appended under it once per poll. */
    private void accept(java.nio.ByteBuffer view, int offset, int length) {
        try {
            @SuppressWarnings("unchecked")
            T event = (T) layout.decode(view, offset, length);
            decoded.add(event);
        } catch (RuntimeException e) { // a layout mismatch, or a record's own constructor check
            decodeFailures++;
            if (pollDecodeError == null) {
                pollDecodeError = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
        }
    }

    /** Under the lock: moves one poll's decoded events and decode failures into the log and counters. */
    private void publishDecoded() {
        for (T event : decoded) {
            log.append(event);
        }
        received += decoded.size() + decodeFailures;
        undecodable += decodeFailures;
        if (firstDecodeError == null) {
            firstDecodeError = pollDecodeError;
        }
        decoded.clear();
        decodeFailures = 0;
        pollDecodeError = null;
    }

    /** Under the lock: moves drained ends into {@link #ended}; true when one was. */
    private boolean settleEnds() {
        boolean any = false;
        for (var it = pendingEnds.iterator(); it.hasNext(); ) {
            PendingEnd end = it.next();
            if (pollsCompleted > end.afterPoll()) {
                it.remove();
                any = true;
                producersEnded++;
                if (ended == null && (end.abnormal() || producersEnded == producers)) {
                    ended = end.what();
                }
            }
        }
        return any;
    }

    /**
     * Registers a producer; when it ends (the stage completes) and the records it wrote
     * were read, waits end — at once when it ended abnormally, else once every registered
     * producer has ended.
     */
    void producer(CompletionStage<EventStream.End> end) {
        lock.lock();
        try {
            producers++;
        } finally {
            lock.unlock();
        }
        end.whenComplete((how, failure) -> {
            lock.lock();
            try {
                String what = how != null ? how.what() : "the producer failed: " + failure;
                // records it wrote before it ended are in the ring: a poll begun from now on reads them
                pendingEnds.add(new PendingEnd(pollsBegun, what, how == null || how.abnormal()));
            } finally {
                lock.unlock();
            }
            wakeReader(); // a reader blocked in the source settles the end at once, not after its timeout
        });
    }

    /**
     * The array a wait from {@code cursor} copies its batches into, reused for each: sized by what
     * is kept from there on, within {@link #MIN_CHUNK} and {@link #MAX_CHUNK}.
     */
    Object[] chunkFor(long cursor) {
        long available;
        lock.lock();
        try {
            available = log.next() - Math.max(cursor, log.first());
        } finally {
            lock.unlock();
        }
        return new Object[Math.clamp(available, MIN_CHUNK, MAX_CHUNK)];
    }

    /** The sequence number of the oldest event kept: where a new wait starts. */
    long first() {
        lock.lock();
        try {
            return log.first();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Blocks until there are events after {@code cursor}, waits end, or {@code deadline}
     * (System.nanoTime) passes; copies the events after {@code cursor} (those still kept) into
     * {@code into}, as many as fit. A wait reuses its array: nothing here is sized by the log,
     * so a wait that starts over a full log copies it in bounded steps, not all at once.
     */
    Batch next(long cursor, long deadline, Object[] into) throws InterruptedException {
        if (becomeReader(cursor)) {
            try {
                readUntil(cursor, deadline);
            } finally {
                stopReading();
            }
        }
        lock.lock();
        try {
            while (!wakes(cursor)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                changed.awaitNanos(left);
            }
            int count = log.copy(cursor, into);
            long after = Math.max(cursor, log.first()) + count;
            boolean more = after < log.next();
            return new Batch(count, after, more, more ? Optional.empty() : Optional.ofNullable(ended));
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: whether a wait at {@code cursor} has something to look at. */
    private boolean wakes(long cursor) {
        return log.next() > cursor || ended != null || pollerFailure != null || closed.get();
    }

    /**
     * Whether this waiting thread takes over reading, so that the kernel wakes it when a record arrives
     * rather than the poller thread, which would then have to wake it in turn: one wake-up instead of two
     * on the way from the record to the wait's return (scripts/bench-waits). It does when no other wait
     * reads and the poller can be moved out of the source (it is between polls, or the source can
     * {@link EventSource#wakeup wake} it); otherwise the wait blocks on the condition the reader signals.
     */
    private boolean becomeReader(long cursor) throws InterruptedException {
        lock.lock();
        try {
            if (waiterReads || wakes(cursor)) {
                return false;
            }
            waiterReads = true;
        } finally {
            lock.unlock();
        }
        if (pollLock.tryLock()) {
            return true;
        }
        boolean woken;
        try {
            woken = source.wakeup();
        } catch (RuntimeException closedMeanwhile) {
            woken = false;
        }
        if (woken) {
            try {
                pollLock.lockInterruptibly(); // the poller's poll returns, it publishes and steps aside
                return true;
            } catch (InterruptedException e) {
                giveBackReading();
                throw e;
            }
        }
        giveBackReading();
        return false;
    }

    /** Gives reading back without waking the poller, which looks again within {@link #POLL_TIMEOUT}. */
    private void stopReading() {
        pollLock.unlock();
        lock.lock();
        try {
            waiterReads = false;
        } finally {
            lock.unlock();
        }
    }

    private void giveBackReading() {
        lock.lock();
        try {
            waiterReads = false;
            pollerMayRead.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The reading wait's loop: polls until there is something to look at or the deadline passes, each
     * poll bounded by {@link #POLL_TIMEOUT}, as the poller's, so a producer's end is settled as soon.
     */
    private void readUntil(long cursor, long deadline) throws InterruptedException {
        while (true) {
            lock.lock();
            try {
                if (wakes(cursor)) {
                    return;
                }
            } finally {
                lock.unlock();
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            // whole milliseconds, rounded up: a poll of less than one would only look, and spin
            long millis = Math.min((left + 999_999) / 1_000_000, POLL_TIMEOUT.toMillis());
            try {
                pollOnce(Duration.ofMillis(millis), false);
            } catch (RuntimeException e) {
                return; // recorded as the stream's failure, or the stream was closed: the wait reports it
            }
        }
    }

    /** Wakes every wait (a fail-fast condition may hold now). */
    void signal() {
        lock.lock();
        try {
            changed.signalAll();
            pollerMayRead.signalAll();
        } finally {
            lock.unlock();
        }
    }

    List<T> snapshot() {
        lock.lock();
        try {
            return log.after(Long.MIN_VALUE);
        } finally {
            lock.unlock();
        }
    }

    long received() {
        lock.lock();
        try {
            return received;
        } finally {
            lock.unlock();
        }
    }

    long overflowed() {
        lock.lock();
        try {
            return log.overflowed();
        } finally {
            lock.unlock();
        }
    }

    long undecodable() {
        lock.lock();
        try {
            return undecodable;
        } finally {
            lock.unlock();
        }
    }

    Optional<String> firstDecodeError() {
        lock.lock();
        try {
            return Optional.ofNullable(firstDecodeError);
        } finally {
            lock.unlock();
        }
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
        signal();
        wakeReader();
        try {
            poller.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        source.close();
    }

    private void wakeReader() {
        try {
            source.wakeup();
        } catch (RuntimeException closedMeanwhile) {
            // nothing to wake
        }
    }

    static long deadline(Duration timeout) {
        long nanos = timeout.compareTo(Duration.ofDays(365)) > 0 ? TimeUnit.DAYS.toNanos(365) : timeout.toNanos();
        return System.nanoTime() + nanos;
    }
}
