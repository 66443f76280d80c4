package io.junitebpf.bpf;

import java.nio.ByteBuffer;

/**
 * Takes the records of a {@link RingBuffer} without an object per record: each record is the bytes
 * {@code [offset, offset + length)} of {@code buffer}, a read-only, native-order view of the ring's
 * memory, read with absolute gets ({@code buffer.getLong(offset + 8)}).
 *
 * <p>The buffer is valid only during the call, and the same buffer serves the other records of the
 * poll: copy what you keep, and leave its position, limit and order alone (each poll starts from a fresh
 * view). In {@link RingBuffer.Mode#MAPPED} mode a view kept past the ring's {@link RingBuffer#close}
 * fails on access ({@link IllegalStateException}) rather than read unmapped memory. For a buffer of one's
 * own per record, poll with a {@code Consumer<ByteBuffer>} instead: that costs a slice per record, about
 * 0.6 times the rate of this (scripts/bench-ringbuf).
 */
@FunctionalInterface
public interface RecordHandler {

    /**
     * One record.
     *
     * @param buffer the ring's memory (in {@link RingBuffer.Mode#LIBBPF_CALLBACK} mode: the record's own)
     * @param offset where the record starts in {@code buffer}
     * @param length the record's length in bytes, as the BPF program reserved or output it
     */
    void onRecord(ByteBuffer buffer, int offset, int length);
}
