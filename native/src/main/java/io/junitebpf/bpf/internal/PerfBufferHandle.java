package io.junitebpf.bpf.internal;

import io.junitebpf.bpf.BpfException;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.ObjIntConsumer;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * libbpf's per-CPU perf buffer consumer ({@code perf_buffer__new/poll/free})
 * over a {@code BPF_MAP_TYPE_PERF_EVENT_ARRAY}, with a sample upcall per record
 * and a lost upcall per {@code PERF_RECORD_LOST}.
 *
 * <p>Upcalls must never throw (an exception unwinding through native frames
 * ends the JVM), and libbpf's sample callback returns void, so it cannot stop
 * a poll half-way. When the handler throws, the exception is kept, the samples
 * libbpf still hands over in the same poll are copied into a queue, and poll
 * rethrows; the next poll delivers the queue first. No sample is lost to a
 * failing handler, and none is delivered twice.
 */
public final class PerfBufferHandle implements AutoCloseable {

    private static final int EINTR = 4;

    private record Pending(int cpu, byte[] data) {
    }

    private final LibbpfApi api;
    private final String description;
    private final Arena arena = Arena.ofShared();
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private MemorySegment buffer;
    private ObjIntConsumer<ByteBuffer> handler;
    private RuntimeException failure;
    private int delivered;
    private long consumed;
    private long lost;

    /**
     * perf_buffer__new on {@code mapFd} with {@code pageCount} data pages per CPU.
     *
     * @param pageCount a power of 2
     */
    public PerfBufferHandle(LibbpfApi api, int mapFd, long pageCount, String description) {
        this.api = api;
        this.description = description;
        String operation = "open perf buffer " + description;
        if (pageCount <= 0 || Long.bitCount(pageCount) != 1) {
            arena.close();
            throw new BpfException(operation, "page count " + pageCount + " per CPU is not a power of 2", 0,
                    List.of());
        }
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            MemorySegment sampleStub = NativeLibrary.LINKER.upcallStub(
                    lookup.findVirtual(PerfBufferHandle.class, "sample", MethodType.methodType(void.class,
                            MemorySegment.class, int.class, MemorySegment.class, int.class)).bindTo(this),
                    FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, ADDRESS, JAVA_INT), arena);
            MemorySegment lostStub = NativeLibrary.LINKER.upcallStub(
                    lookup.findVirtual(PerfBufferHandle.class, "lost", MethodType.methodType(void.class,
                            MemorySegment.class, int.class, long.class)).bindTo(this),
                    FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, JAVA_LONG), arena);
            // 1.0 signature (map_fd, page_cnt, sample_cb, lost_cb, ctx, opts); 0.6 gave it this symbol version
            MethodHandle create = api.library().functionWithErrno("perf_buffer__new",
                    FunctionDescriptor.of(ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, ADDRESS), "0.6");
            try (Arena scratch = Arena.ofConfined(); LogCapture log = LogCapture.start()) {
                MemorySegment state = Errors.callState(scratch);
                MemorySegment pb = (MemorySegment) create.invokeExact(state, mapFd, pageCount, sampleStub, lostStub,
                        MemorySegment.NULL, MemorySegment.NULL);
                buffer = Errors.check(pb, state, operation, log);
            }
        } catch (Throwable t) {
            arena.close();
            throw Errors.rethrow(t);
        }
    }

    /**
     * Delivers queued samples if there are any; otherwise waits up to
     * {@code timeoutMs} and hands each sample of the ready CPU buffers to
     * {@code consumer} with its CPU.
     *
     * @return the number of samples handed over
     */
    public synchronized int poll(int timeoutMs, ObjIntConsumer<ByteBuffer> consumer) {
        if (buffer == null) {
            throw new IllegalStateException("poll perf buffer " + description + ": closed");
        }
        if (!pending.isEmpty()) {
            return drainPending(consumer);
        }
        handler = consumer;
        failure = null;
        delivered = 0;
        int rc;
        try {
            rc = (int) api.library().function("perf_buffer__poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT),
                    "0.0.4").invokeExact(buffer, timeoutMs);
        } catch (Throwable t) {
            throw Errors.rethrow(t);
        } finally {
            handler = null;
        }
        if (failure != null) {
            RuntimeException f = failure;
            failure = null;
            throw f;
        }
        if (rc < 0 && rc != -EINTR) {
            throw new BpfException("poll perf buffer " + description, "perf_buffer__poll failed", -rc, List.of());
        }
        return delivered;
    }

    private int drainPending(ObjIntConsumer<ByteBuffer> consumer) {
        int count = 0;
        while (!pending.isEmpty()) {
            Pending p = pending.poll();
            consumed++;
            consumer.accept(ByteBuffer.wrap(p.data()).asReadOnlyBuffer().order(ByteOrder.nativeOrder()), p.cpu());
            count++;
        }
        return count;
    }

    /** The sample upcall: never throws. */
    private void sample(MemorySegment ctx, int cpu, MemorySegment data, int size) {
        try {
            MemorySegment record = data.reinterpret(Integer.toUnsignedLong(size));
            if (failure != null || handler == null) {
                pending.add(new Pending(cpu, record.toArray(JAVA_BYTE)));
                return;
            }
            consumed++;
            delivered++;
            handler.accept(record.asByteBuffer().asReadOnlyBuffer().order(ByteOrder.nativeOrder()), cpu);
        } catch (Throwable t) {
            remember(t);
        }
    }

    private void remember(Throwable t) {
        RuntimeException e = t instanceof RuntimeException r ? r
                : new IllegalStateException("perf buffer handler failed: " + t, t);
        if (failure == null) {
            failure = e;
        } else if (failure != e) {
            failure.addSuppressed(e);
        }
    }

    /** The lost upcall: the kernel overwrote nothing, it dropped {@code count} samples on {@code cpu}. */
    private void lost(MemorySegment ctx, int cpu, long count) {
        lost += count;
    }

    /** Samples handed to a handler, including one that threw. */
    public synchronized long consumed() {
        return consumed;
    }

    /** Samples the kernel dropped because a CPU's buffer was full (PERF_RECORD_LOST). */
    public synchronized long lost() {
        return lost;
    }

    /** perf_buffer__free. Idempotent. */
    @Override
    public synchronized void close() {
        if (buffer == null) {
            return;
        }
        MemorySegment pb = buffer;
        buffer = null;
        try {
            api.library().function("perf_buffer__free", FunctionDescriptor.ofVoid(ADDRESS), "0.0.4").invokeExact(pb);
        } catch (Throwable t) {
            throw Errors.rethrow(t);
        } finally {
            arena.close();
        }
    }
}
