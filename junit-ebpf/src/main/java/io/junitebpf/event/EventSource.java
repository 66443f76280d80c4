package io.junitebpf.event;

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
