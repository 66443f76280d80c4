package io.junitebpf.bpf;

import io.junitebpf.bpf.internal.CallbackRingBuffer;
import io.junitebpf.bpf.internal.MappedRingBuffer;
import io.junitebpf.bpf.internal.ObjectHandle;
import io.junitebpf.bpf.internal.RingReader;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A consumer of a {@code BPF_MAP_TYPE_RINGBUF} map (kernel 5.8+).
 *
 * <p>Records are handed to the handler in the order the BPF programs committed
 * them, as read-only, native-order ByteBuffers over the kernel's memory: valid
 * only during the handler call, so copy what you keep. Discarded records
 * ({@code bpf_ringbuf_discard}) are skipped.
 *
 * <p><b>Losses.</b> A ring buffer never drops a committed record on the
 * consumer side: a slow consumer makes the <em>producer's</em>
 * {@code bpf_ringbuf_reserve}/{@code bpf_ringbuf_output} fail, and that failure
 * is visible only to the BPF program. If a test must know, let the program
 * count its failed reserves in a map or global. {@link #consumed()} counts what
 * arrived here.
 *
 * <p>Polls are serialised: records reach one handler at a time, in ring order. In
 * {@link Mode#MAPPED} mode a poll waits outside that lock, so another thread may
 * poll, {@link #wakeup} it or {@link #close} meanwhile.
 */
public final class RingBuffer implements AutoCloseable {

    /** How records are read. Both keep the same handler contract. */
    public enum Mode {
        /**
         * Java reads the mapped ring pages directly (the default): no copy, no
         * native-to-Java upcall per record, no system call while data is waiting.
         */
        MAPPED,
        /**
         * libbpf's {@code ring_buffer__new}/{@code ring_buffer__poll}: one upcall
         * into Java per record. Kept for comparison and as a fallback.
         */
        LIBBPF_CALLBACK
    }

    private final RingReader reader;
    private final LoadedObject owner;
    private final String mapName;
    private final Mode mode;

    private RingBuffer(RingReader reader, LoadedObject owner, String mapName, Mode mode) {
        this.reader = reader;
        this.owner = owner;
        this.mapName = mapName;
        this.mode = mode;
    }

    static RingBuffer open(LoadedObject owner, ObjectHandle handle, BpfMap map, Mode mode) {
        Objects.requireNonNull(mode, "mode");
        String operation = "open ring buffer '" + map.name() + "' of " + handle.displayName();
        map.requireType(MapType.RINGBUF, operation);
        String what = "'" + map.name() + "' of " + handle.displayName();
        RingReader reader = switch (mode) {
            case MAPPED -> new MappedRingBuffer(map.fd(), Integer.toUnsignedLong(map.maxEntries()), what);
            case LIBBPF_CALLBACK -> new CallbackRingBuffer(handle.api(), map.fd(), what);
        };
        return new RingBuffer(reader, owner, map.name(), mode);
    }

    /** The ring buffer map's name. */
    public String mapName() {
        return mapName;
    }

    /** How this consumer reads records. */
    public Mode mode() {
        return mode;
    }

    /**
     * Waits up to {@code timeout} for records, then hands each available record
     * to {@code handler} in order. Returns as soon as at least one record was
     * handled, or when the timeout passed; {@link Duration#ZERO} only looks.
     *
     * <p>An exception from the handler stops this poll and is rethrown; the
     * record it was thrown for counts as consumed, the records after it stay in
     * the ring for the next poll.
     *
     * @return how many records were handled
     * @throws IllegalStateException after {@link #close()}
     * @throws BpfException          when waiting failed
     */
    public int poll(Duration timeout, Consumer<ByteBuffer> handler) {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(handler, "handler");
        long ms = Math.clamp(timeout.toMillis(), 0, Integer.MAX_VALUE);
        return reader.poll((int) ms, handler);
    }

    /**
     * {@link #poll(Duration, Consumer)} without an object per record: each record is handed over as its
     * place in a view of the ring's memory ({@link RecordHandler}). The fastest way to read records in
     * {@link Mode#MAPPED} mode; in {@link Mode#LIBBPF_CALLBACK} mode each record is its own buffer, at
     * offset 0.
     *
     * @return how many records were handled
     * @throws IllegalStateException after {@link #close()}
     * @throws BpfException          when waiting failed
     */
    public int poll(Duration timeout, RecordHandler handler) {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(handler, "handler");
        long ms = Math.clamp(timeout.toMillis(), 0, Integer.MAX_VALUE);
        return reader.poll((int) ms, handler);
    }

    /**
     * Makes a {@link #poll} blocked in another thread return early, with what it found by then (or the
     * next poll, if none is blocked now): for a thread that wants to take over reading.
     *
     * @throws UnsupportedOperationException in {@link Mode#LIBBPF_CALLBACK} mode, whose libbpf consumer
     *                                       cannot be woken from outside
     * @throws IllegalStateException         after {@link #close()}
     */
    public void wakeup() {
        if (mode != Mode.MAPPED) {
            throw new UnsupportedOperationException("wakeup on ring buffer '" + mapName + "': " + mode
                    + " mode cannot be woken from outside its poll; open it in MAPPED mode");
        }
        reader.wakeup();
    }

    /** Records handed to a handler since this consumer was opened, including any that threw. */
    public long consumed() {
        return reader.consumed();
    }

    /** Frees the consumer (unmaps the ring or frees libbpf's). Idempotent. */
    @Override
    public void close() {
        owner.disown(this);
        reader.close();
    }

    @Override
    public String toString() {
        return "RingBuffer[" + mapName + ", " + mode + "]";
    }
}
