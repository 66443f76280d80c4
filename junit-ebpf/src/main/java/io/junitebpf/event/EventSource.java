package io.junitebpf.event;

import io.junitebpf.bpf.RecordHandler;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Where raw records come from: a ring buffer or a perf buffer. Records are
 * valid only during the handler call.
 */
public interface EventSource extends AutoCloseable {

    /** Waits up to {@code timeout}, then hands every available record to {@code handler}. */
    int poll(Duration timeout, Consumer<ByteBuffer> handler);

    /**
     * {@link #poll(Duration, Consumer)} handing each record over as its place in a buffer
     * ({@link RecordHandler}): a source that can do without an object per record overrides it, as a
     * memory-mapped ring buffer does; by default each record's own buffer is handed over.
     */
    default int poll(Duration timeout, RecordHandler handler) {
        return poll(timeout, (Consumer<ByteBuffer>) b -> handler.onRecord(b, b.position(), b.remaining()));
    }

    /**
     * Makes a {@link #poll} blocked in another thread return early (or the next one), if this source can;
     * a stream then lets a waiting test thread take over reading from its poller thread, so the kernel
     * wakes the test thread itself when a record arrives.
     *
     * @return whether it could
     */
    default boolean wakeup() {
        return false;
    }

    /** Records the kernel side reported lost (perf buffers); 0 where the source cannot know. */
    default long lost() {
        return 0;
    }

    /** A name for messages, e.g. "ring buffer 'events' of usdt.bpf.o". */
    String describe();

    @Override
    void close();
}
