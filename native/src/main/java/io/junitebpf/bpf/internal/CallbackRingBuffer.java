package io.junitebpf.bpf.internal;

import io.junitebpf.bpf.BpfException;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * libbpf's own ring buffer consumer (ring_buffer__new/poll): one upcall per
 * record. Each record is handed over as a read-only ByteBuffer over the
 * kernel's memory, valid only during the handler call.
 *
 * <p>An exception from the handler must not unwind through native frames (it
 * would end the JVM): it is kept, the upcall returns -1 so libbpf stops, and
 * poll rethrows it.
 */
public final class CallbackRingBuffer implements RingReader {

    private final LibbpfApi api;
    private final Arena arena;
    private final String description;
    private MemorySegment ring;
    private Consumer<ByteBuffer> handler = record -> { };
    private RuntimeException failure;
    private long consumed;

    public CallbackRingBuffer(LibbpfApi api, int mapFd, String description) {
        this.api = api;
        this.description = description;
        this.arena = Arena.ofShared();
        try {
            MethodHandle target = MethodHandles.lookup().findVirtual(CallbackRingBuffer.class, "sample",
                    MethodType.methodType(int.class, MemorySegment.class, MemorySegment.class, long.class))
                    .bindTo(this);
            MemorySegment stub = NativeLibrary.LINKER.upcallStub(target, FunctionDescriptor.of(ValueLayout.JAVA_INT,
                    ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG), arena);
            try (LogCapture log = LogCapture.start()) {
                ring = api.ringBufferNew(mapFd, stub, "open ring buffer " + description, log);
            }
        } catch (ReflectiveOperationException e) {
            arena.close();
            throw new IllegalStateException(e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    @Override
    public synchronized int poll(int timeoutMs, Consumer<ByteBuffer> consumer) {
        if (ring == null) {
            throw new IllegalStateException("poll ring buffer " + description + ": closed");
        }
        handler = consumer;
        failure = null;
        int n = api.ringBufferPoll(ring, timeoutMs);
        handler = record -> { };
        if (failure != null) {
            RuntimeException f = failure;
            failure = null;
            throw f;
        }
        if (n < 0 && n != -4) { // -EINTR: a signal; nothing lost, poll again
            throw new BpfException("poll ring buffer " + description, "ring_buffer__poll failed", -n,
                    java.util.List.of());
        }
        return Math.max(0, n);
    }

    /** Each record in a buffer of its own, at offset 0: libbpf hands over one record per upcall anyway. */
    @Override
    public int poll(int timeoutMs, io.junitebpf.bpf.RecordHandler handler) {
        return poll(timeoutMs, (Consumer<ByteBuffer>) record -> handler.onRecord(record, 0, record.limit()));
    }

    /** The upcall: never throws. */
    private int sample(MemorySegment ctx, MemorySegment data, long size) {
        consumed++;
        try {
            handler.accept(data.reinterpret(size).asByteBuffer().asReadOnlyBuffer()
                    .order(java.nio.ByteOrder.nativeOrder()));
            return 0;
        } catch (RuntimeException e) {
            failure = e;
            return -1;
        } catch (Throwable t) {
            failure = new IllegalStateException("ring buffer handler failed", t);
            return -1;
        }
    }

    @Override
    public synchronized long consumed() {
        return consumed;
    }

    @Override
    public synchronized void close() {
        if (ring == null) {
            return;
        }
        api.ringBufferFree(ring);
        ring = null;
        arena.close();
    }
}
