package io.junitebpf.bpf;

import io.junitebpf.bpf.internal.CallbackRingBuffer;
import io.junitebpf.bpf.internal.ObjectHandle;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A consumer of a {@code BPF_MAP_TYPE_RINGBUF} map, through libbpf's
 * {@code ring_buffer__poll}. Records are handed over as read-only, native-order
 * ByteBuffers that are valid only during the handler call: copy what you keep.
 */
public final class RingBuffer implements AutoCloseable {

    private final CallbackRingBuffer ring;
    private final String mapName;

    private RingBuffer(CallbackRingBuffer ring, String mapName) {
        this.ring = ring;
        this.mapName = mapName;
    }

    static RingBuffer open(ObjectHandle handle, BpfMap map) {
        if (map.type() != BpfMap.TYPE_RINGBUF) {
            throw new BpfException("open ring buffer '" + map.name() + "'",
                    "map type " + map.type() + " is not BPF_MAP_TYPE_RINGBUF (" + BpfMap.TYPE_RINGBUF + ")", 0,
                    List.of());
        }
        String what = "'" + map.name() + "' of " + handle.displayName();
        return new RingBuffer(new CallbackRingBuffer(handle.api(), map.fd(), what), map.name());
    }

    /** The ring buffer map's name. */
    public String mapName() {
        return mapName;
    }

    /**
     * Waits up to {@code timeout} for records, then hands each available record
     * to {@code handler} in order. An exception from the handler stops this
     * poll and is rethrown; the records after it stay in the ring.
     *
     * @return how many records were handled
     */
    public int poll(Duration timeout, Consumer<ByteBuffer> handler) {
        Objects.requireNonNull(handler, "handler");
        long ms = Math.clamp(timeout.toMillis(), 0, Integer.MAX_VALUE);
        return ring.poll((int) ms, handler);
    }

    /** Frees the consumer. Idempotent. */
    @Override
    public void close() {
        ring.close();
    }
}
