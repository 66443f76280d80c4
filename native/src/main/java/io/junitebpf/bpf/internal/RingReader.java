package io.junitebpf.bpf.internal;

import io.junitebpf.bpf.RecordHandler;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * One way of consuming a BPF ring buffer map: libbpf's callbacks
 * ({@link CallbackRingBuffer}) or the Java reader of the mapped pages
 * ({@link MappedRingBuffer}). Both keep the same contract, so tests can compare them.
 */
public interface RingReader extends AutoCloseable {

    /**
     * Waits up to {@code timeoutMs} (-1: forever) for records, then hands each
     * committed, non-discarded record to {@code handler} in ring order as a
     * read-only, native-order buffer valid only during the call. When the
     * handler throws, the record it threw on counts as consumed, the rest stay
     * in the ring, and the exception propagates.
     *
     * @return the number of records handed over
     */
    int poll(int timeoutMs, Consumer<ByteBuffer> handler);

    /**
     * {@link #poll(int, Consumer)} handing each record over as a place in a buffer shared by the poll's
     * records ({@link RecordHandler}), where the reader can do without an object per record.
     */
    int poll(int timeoutMs, RecordHandler handler);

    /**
     * Makes a {@link #poll} blocked in another thread return early (or the next poll, if none is
     * blocked now), having handed over whatever it found.
     *
     * @throws UnsupportedOperationException where the reader cannot be woken
     */
    default void wakeup() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot be woken");
    }

    /** Records handed to a handler since the ring was opened, including one that threw. */
    long consumed();

    /** Frees the consumer. Idempotent. */
    @Override
    void close();
}
