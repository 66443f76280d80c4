package io.junitebpf.event;

import io.junitebpf.bpf.PerfBuffer;
import io.junitebpf.bpf.RecordHandler;
import io.junitebpf.bpf.RingBuffer;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/** {@link EventSource}s over the native buffers. */
public final class EventSources {

    private EventSources() {
    }

    /** A ring buffer; it reports no losses (the consumer side cannot lose records). */
    public static EventSource of(RingBuffer ring, String description) {
        Objects.requireNonNull(ring, "ring");
        Runnable wakeup = ring.mode() == RingBuffer.Mode.MAPPED ? ring::wakeup : null;
        return new Adapter(ring::poll, ring::poll, () -> 0, description, ring::close, wakeup);
    }

    /** A perf buffer; samples the kernel dropped count as lost. */
    public static EventSource of(PerfBuffer perf, String description) {
        Objects.requireNonNull(perf, "perf");
        return new Adapter(perf::poll, null, perf::lost, description, perf::close, null);
    }

    private interface Poll {
        int poll(Duration timeout, Consumer<ByteBuffer> handler);
    }

    private interface RecordPoll {
        int poll(Duration timeout, RecordHandler handler);
    }

    /**
     * {@code recordPoller}: the source's own poll with a {@link RecordHandler}, or null to adapt
     * {@code poller}'s; {@code waker}: the source's wakeup, or null where it has none.
     */
    private record Adapter(Poll poller, RecordPoll recordPoller, java.util.function.LongSupplier lostCount,
                           String description, Runnable closer, Runnable waker) implements EventSource {
        @Override
        public int poll(Duration timeout, Consumer<ByteBuffer> handler) {
            return poller.poll(timeout, handler);
        }

        @Override
        public int poll(Duration timeout, RecordHandler handler) {
            return recordPoller != null ? recordPoller.poll(timeout, handler)
                    : EventSource.super.poll(timeout, handler);
        }

        @Override
        public boolean wakeup() {
            if (waker == null) {
                return false;
            }
            waker.run();
            return true;
        }

        @Override
        public long lost() {
            return lostCount.getAsLong();
        }

        @Override
        public String describe() {
            return description;
        }

        @Override
        public void close() {
            closer.run();
        }
    }
}
