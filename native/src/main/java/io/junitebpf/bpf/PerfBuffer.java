package io.junitebpf.bpf;

import io.junitebpf.bpf.internal.ObjectHandle;
import io.junitebpf.bpf.internal.PerfBufferHandle;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A consumer of a {@code BPF_MAP_TYPE_PERF_EVENT_ARRAY} map, the per-CPU
 * buffers BPF programs write with {@code bpf_perf_event_output}: what kernels
 * before 5.8 offer instead of a {@link RingBuffer}. Reads through libbpf's
 * {@code perf_buffer__new}/{@code perf_buffer__poll}.
 *
 * <p>Differences from a ring buffer that tests must allow for:
 * <ul>
 *   <li>Order holds per CPU only: samples written on different CPUs may arrive
 *       in any order. {@link #pollPerCpu} tells the CPU.</li>
 *   <li>The kernel drops samples when a CPU's buffer is full and says so with a
 *       lost record; {@link #lost()} sums them.</li>
 *   <li>A sample may be up to 7 bytes longer than what the program wrote: perf
 *       pads each raw sample so that its u32 size and data end 8-byte aligned.
 *       Let records carry their own length if it matters.</li>
 * </ul>
 *
 * <p>Samples are handed over as read-only, native-order ByteBuffers valid only
 * during the handler call. Not meant for concurrent polling: calls are serialised.
 */
public final class PerfBuffer implements AutoCloseable {

    /** Data pages per CPU when none are given: 64 (256 KiB per CPU with 4 KiB pages). */
    public static final int DEFAULT_PAGE_COUNT = 64;

    /** Receives one sample and the CPU whose buffer it came from. */
    @FunctionalInterface
    public interface SampleHandler {
        /**
         * @param cpu    the CPU the BPF program ran on when it wrote the sample
         * @param sample the sample; valid only during this call
         */
        void accept(int cpu, ByteBuffer sample);
    }

    private final PerfBufferHandle buffer;
    private final LoadedObject owner;
    private final String mapName;
    private final int pageCount;

    private PerfBuffer(PerfBufferHandle buffer, LoadedObject owner, String mapName, int pageCount) {
        this.buffer = buffer;
        this.owner = owner;
        this.mapName = mapName;
        this.pageCount = pageCount;
    }

    static PerfBuffer open(LoadedObject owner, ObjectHandle handle, BpfMap map, int pageCount) {
        String what = "'" + map.name() + "' of " + handle.displayName();
        map.requireType(MapType.PERF_EVENT_ARRAY, "open perf buffer " + what);
        return new PerfBuffer(new PerfBufferHandle(handle.api(), map.fd(), pageCount, what), owner, map.name(),
                pageCount);
    }

    /** The perf event array map's name. */
    public String mapName() {
        return mapName;
    }

    /** Data pages per CPU. */
    public int pageCount() {
        return pageCount;
    }

    /**
     * As {@link #pollPerCpu}, for handlers that do not need the CPU: the same
     * contract as {@link RingBuffer#poll}.
     */
    public int poll(Duration timeout, Consumer<ByteBuffer> handler) {
        Objects.requireNonNull(handler, "handler");
        return pollPerCpu(timeout, (cpu, sample) -> handler.accept(sample));
    }

    /**
     * Waits up to {@code timeout} for samples, then hands each sample of the
     * CPU buffers that have data to {@code handler}, in order per CPU.
     *
     * <p>An exception from the handler is rethrown once this poll has finished;
     * libbpf cannot stop a poll half-way, so the samples after the failing one
     * are kept (copied) and delivered first by the next poll. None is lost and
     * none is delivered twice.
     *
     * @return how many samples were handled
     * @throws IllegalStateException after {@link #close()}
     * @throws BpfException          when waiting failed
     */
    public int pollPerCpu(Duration timeout, SampleHandler handler) {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(handler, "handler");
        long ms = Math.clamp(timeout.toMillis(), 0, Integer.MAX_VALUE);
        return buffer.poll((int) ms, (sample, cpu) -> handler.accept(cpu, sample));
    }

    /** Samples handed to a handler since this consumer was opened, including any that threw. */
    public long consumed() {
        return buffer.consumed();
    }

    /** Samples the kernel dropped because a CPU's buffer was full, as its lost records reported them. */
    public long lost() {
        return buffer.lost();
    }

    /** Frees libbpf's perf buffer and its per-CPU mappings. Idempotent. */
    @Override
    public void close() {
        owner.disown(this);
        buffer.close();
    }

    @Override
    public String toString() {
        return "PerfBuffer[" + mapName + ", " + pageCount + " pages per CPU]";
    }
}
