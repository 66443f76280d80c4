package io.junitebpf.bpf.bench;

import io.junitebpf.bpf.BpfObject;
import io.junitebpf.bpf.LoadedObject;
import io.junitebpf.bpf.RingBuffer;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Ring buffer consumer benchmark: {@link RingBuffer.Mode#MAPPED} against
 * {@link RingBuffer.Mode#LIBBPF_CALLBACK} in one process. Not a unit test: run
 * it with {@code scripts/bench-ringbuf [records-per-run] [runs]}.
 *
 * <p>bpf-test/ringbench.bpf.o writes 32-byte records (40 bytes with the ring
 * header) into a 64 MiB ring in one bpf_loop per ioctl, without wakeups; each
 * reader is opened once; each measurement fills the ring, then times draining it
 * with poll(ZERO) and counts
 * the bytes the draining thread allocated, and its CPU time: on a loaded machine records
 * per CPU-second leave out the time the thread waited for a core. The handler reads one field per
 * record, as a decoder would. Needs root, kernel 5.17+ (bpf_loop), tracefs.
 */
public final class RingBufferBenchmark {

    private static final int MAGIC = 0x4a454251;
    private static final int FILL_CHUNK = 1_000_000; // 40 MB: fits the 64 MiB ring
    private static final MethodHandle IOCTL = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("ioctl").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), Linker.Option.firstVariadicArg(2));
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private long sum;

    private RingBufferBenchmark() {
    }

    /** Records per second of wall time and of the draining thread's CPU time (less sensitive to a loaded machine). */
    record Result(double recordsPerSecond, double recordsPerCpuSecond, double mbPerMillion) {
    }

    public static void main(String[] args) throws Throwable {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 9;
        int warmups = 5;
        RingBufferBenchmark bench = new RingBufferBenchmark();
        Map<RingBuffer.Mode, List<Result>> results = new EnumMap<>(RingBuffer.Mode.class);
        try (LoadedObject bpf = BpfObject.openResource("bpf-test/ringbench.bpf.o").load();
             RingBuffer mappedRing = bpf.ringBuffer("bench_ring", RingBuffer.Mode.MAPPED);
             RingBuffer callbackRing = bpf.ringBuffer("bench_ring", RingBuffer.Mode.LIBBPF_CALLBACK)) {
            // each reader stays open for all runs, as the C baseline's: a fresh mapping per run would
            // time the page faults of its first pass over 40 MB, not the reader
            Map<RingBuffer.Mode, RingBuffer> rings = Map.of(RingBuffer.Mode.MAPPED, mappedRing,
                    RingBuffer.Mode.LIBBPF_CALLBACK, callbackRing);
            bpf.program("ringbench").attach();
            System.out.printf("ring buffer drain: %,d records of 32 bytes per run, %d runs after %d warm-ups%n",
                    records, runs, warmups);
            for (int run = -warmups; run < runs; run++) {
                // alternate the order so drift (page cache, frequency) hits both modes alike
                RingBuffer.Mode[] order = run % 2 == 0
                        ? new RingBuffer.Mode[] {RingBuffer.Mode.MAPPED, RingBuffer.Mode.LIBBPF_CALLBACK}
                        : new RingBuffer.Mode[] {RingBuffer.Mode.LIBBPF_CALLBACK, RingBuffer.Mode.MAPPED};
                for (RingBuffer.Mode mode : order) {
                    Result r = bench.measure(rings.get(mode), mode, records);
                    if (run >= 0) {
                        results.computeIfAbsent(mode, m -> new ArrayList<>()).add(r);
                        System.out.printf("run %d %-15s %,14.0f records/s %,14.0f records/CPU-s %8.2f MB allocated"
                                + " per million records%n", run, mode, r.recordsPerSecond(), r.recordsPerCpuSecond(),
                                r.mbPerMillion());
                    }
                }
            }
        }
        Result mapped = median(results.get(RingBuffer.Mode.MAPPED));
        Result callback = median(results.get(RingBuffer.Mode.LIBBPF_CALLBACK));
        System.out.printf("median MAPPED          %,14.0f records/s %8.2f MB/M records%n",
                mapped.recordsPerSecond(), mapped.mbPerMillion());
        System.out.printf("median LIBBPF_CALLBACK %,14.0f records/s %8.2f MB/M records%n",
                callback.recordsPerSecond(), callback.mbPerMillion());
        System.out.printf("cpu-median MAPPED          %,14.0f records/CPU-s%n", mapped.recordsPerCpuSecond());
        System.out.printf("cpu-median LIBBPF_CALLBACK %,14.0f records/CPU-s%n", callback.recordsPerCpuSecond());
        System.out.printf("MAPPED / LIBBPF_CALLBACK throughput ratio: %.2fx%n",
                mapped.recordsPerSecond() / callback.recordsPerSecond());
    }

    private Result measure(RingBuffer ring, RingBuffer.Mode mode, int records) throws Throwable {
        long nanos = 0;
        long cpuNanos = 0;
        long allocated = 0;
        {
            for (int done = 0; done < records; ) {
                int chunk = Math.min(FILL_CHUNK, records - done);
                fill(chunk);
                long expectedSum = 3L * chunk * (chunk - 1L) / 2;
                sum = 0;
                long bytes0 = THREADS.getCurrentThreadAllocatedBytes();
                long cpu0 = THREADS.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                int got = 0;
                while (got < chunk) {
                    int n = ring.poll(Duration.ZERO, mode == RingBuffer.Mode.MAPPED ? mappedHandler : callbackHandler);
                    if (n == 0) {
                        throw new IllegalStateException(mode + ": ring ran dry after " + got + " of " + chunk
                                + " records (the BPF side could not reserve: is the ring too small?)");
                    }
                    got += n;
                }
                nanos += System.nanoTime() - t0;
                cpuNanos += THREADS.getCurrentThreadCpuTime() - cpu0;
                allocated += THREADS.getCurrentThreadAllocatedBytes() - bytes0;
                if (sum != expectedSum) {
                    throw new IllegalStateException(mode + ": record contents wrong (sum " + sum + " != "
                            + expectedSum + ")");
                }
                done += chunk;
            }
        }
        return new Result(records * 1e9 / nanos, records * 1e9 / cpuNanos, allocated / 1e6 / (records / 1e6));
    }

    /*
     * One handler method per mode, same body: the JIT's type profile is per method, and one handler
     * fed the buffers of both modes (two buffer classes) would see its getLong's profile mixed by
     * the other mode; a test JVM reads with one mode, so each mode is timed with its own profile.
     */
    private final java.util.function.Consumer<ByteBuffer> mappedHandler = this::handleMapped;
    private final java.util.function.Consumer<ByteBuffer> callbackHandler = this::handleCallback;

    private void handleMapped(ByteBuffer record) {
        sum += record.getLong(8);
    }

    private void handleCallback(ByteBuffer record) {
        sum += record.getLong(8);
    }

    private static void fill(int count) throws Throwable {
        int rc = (int) IOCTL.invokeExact(-1, (long) MAGIC, MemorySegment.ofAddress(count));
        if (rc != -1) {
            throw new IllegalStateException("ioctl(-1) unexpectedly succeeded");
        }
    }

    private static Result median(List<Result> results) {
        double[] rate = results.stream().mapToDouble(Result::recordsPerSecond).sorted().toArray();
        double[] cpuRate = results.stream().mapToDouble(Result::recordsPerCpuSecond).sorted().toArray();
        double[] mb = results.stream().mapToDouble(Result::mbPerMillion).sorted().toArray();
        return new Result(rate[rate.length / 2], cpuRate[cpuRate.length / 2], mb[mb.length / 2]);
    }
}
