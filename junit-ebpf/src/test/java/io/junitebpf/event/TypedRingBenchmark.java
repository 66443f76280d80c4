package io.junitebpf.event;

import io.junitebpf.bpf.BpfObject;
import io.junitebpf.bpf.LoadedObject;
import io.junitebpf.bpf.RingBuffer;
import io.junitebpf.btf.Btf;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The typed path's cost over the raw reader: the same ringbench object and
 * fill-then-drain protocol as RingBufferBenchmark, first read raw (MAPPED, one field
 * read per record), then through an {@link EventStream}: the stream's poller decodes
 * each record with a {@link RecordLayout} (checked against BTF) into its log, and the
 * measurement ends when an {@code awaitFirst} has seen the fill's last record. Prints
 * records/s and bytes allocated per record (poller and waiting thread together).
 * Not a test: run by {@code scripts/bench-ringbuf}.
 *
 * <p>The phases run one after the other, not interleaved: both go through the same
 * drain loop (both with a RecordHandler, as the stream reads), and once it has seen two
 * handlers the JIT compiles it for both, which would slow the raw phase down and measure
 * the JIT, not the reader.
 *
 * <p>ringbench.bpf.o keeps no BTF for its record struct (only a local variable has
 * that type), so the BTF of {@code struct bench_record} is written here, raw.
 */
public final class TypedRingBenchmark {

    @CStruct("bench_record")
    record BenchRecord(long seq, long value) {
    }

    private static final int MAGIC = 0x4a454251;
    private static final int CHUNK = 1_000_000;
    private static final MethodHandle IOCTL = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("ioctl").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), Linker.Option.firstVariadicArg(2));
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private long sum;

    private TypedRingBenchmark() {
    }

    public static void main(String[] args) throws Throwable {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        int warmups = 5;
        RecordLayout<BenchRecord> layout = RecordLayout.of(BenchRecord.class, Btf.parse("bench_record BTF",
                benchRecordBtf()));
        TypedRingBenchmark bench = new TypedRingBenchmark();
        double[][] rate = new double[2][runs];
        double[][] cpuRate = new double[2][runs];
        double[][] bytes = new double[2][runs];
        try (LoadedObject bpf = BpfObject.openResource("bpf-test/ringbench.bpf.o").load()) {
            bpf.program("ringbench").attach();
            try (RingBuffer ring = bpf.ringBuffer("bench_ring", RingBuffer.Mode.MAPPED)) {
                for (int run = -warmups; run < runs; run++) {
                    fill(CHUNK);
                    bench.sum = 0;
                    long b0 = THREADS.getCurrentThreadAllocatedBytes();
                    long c0 = THREADS.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime();
                    for (int got = 0; got < CHUNK; ) {
                        int n = ring.poll(Duration.ZERO, bench.handler);
                        if (n == 0) {
                            throw new IllegalStateException("ring ran dry after " + got + " of " + CHUNK);
                        }
                        got += n;
                    }
                    long nanos = System.nanoTime() - t0;
                    record(rate[0], cpuRate[0], bytes[0], run, "RAW", nanos, THREADS.getCurrentThreadCpuTime() - c0,
                            THREADS.getCurrentThreadAllocatedBytes() - b0);
                }
            }
            RingBuffer ring = bpf.ringBuffer("bench_ring", RingBuffer.Mode.MAPPED);
            try (EventStream<BenchRecord> stream = EventStream.open(EventSources.of(ring, "bench_ring"), layout,
                    CHUNK)) {
                Thread poller = Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> t.getName().equals("junit-ebpf-events-BenchRecord")).findFirst().orElseThrow();
                BenchRecord previous = null;
                for (int run = -warmups; run < runs; run++) {
                    long id = poller.threadId();
                    long b0 = THREADS.getCurrentThreadAllocatedBytes() + THREADS.getThreadAllocatedBytes(id);
                    long pollerCpu0 = THREADS.getThreadCpuTime(id);
                    long t0 = System.nanoTime();
                    // the poller decodes while the fill runs: the wall time includes the fill, the CPU time not
                    fill(CHUNK);
                    long waiterCpu0 = THREADS.getCurrentThreadCpuTime();
                    BenchRecord before = previous;
                    previous = stream.awaitFirst("the fill's last", e -> e.seq() == CHUNK - 1 && e != before,
                            Duration.ofSeconds(60));
                    long nanos = System.nanoTime() - t0;
                    long cpu = THREADS.getCurrentThreadCpuTime() - waiterCpu0 + THREADS.getThreadCpuTime(id) - pollerCpu0;
                    long allocated = THREADS.getCurrentThreadAllocatedBytes() + THREADS.getThreadAllocatedBytes(id) - b0;
                    record(rate[1], cpuRate[1], bytes[1], run, "TYPED", nanos, cpu, allocated);
                }
                if (stream.received() != (long) (warmups + runs) * CHUNK) {
                    throw new IllegalStateException("typed path received " + stream.received());
                }
            }
        }
        for (double[] r : rate) {
            Arrays.sort(r);
        }
        for (double[] r : cpuRate) {
            Arrays.sort(r);
        }
        for (double[] b : bytes) {
            Arrays.sort(b);
        }
        System.out.printf("median RAW   (MAPPED, RecordHandler, one field read) %,14.0f records/s %,14.0f records/CPU-s"
                + " %6.1f bytes/record%n", rate[0][runs / 2], cpuRate[0][runs / 2], bytes[0][runs / 2]);
        System.out.printf("median TYPED (decoded into an EventStream) %,14.0f records/s %,14.0f records/CPU-s"
                + " %6.1f bytes/record%n", rate[1][runs / 2], cpuRate[1][runs / 2], bytes[1][runs / 2]);
        System.out.printf("TYPED / RAW throughput ratio: %.2fx wall, %.2fx CPU%n", rate[1][runs / 2] / rate[0][runs / 2],
                cpuRate[1][runs / 2] / cpuRate[0][runs / 2]);
    }

    private static void record(double[] rate, double[] cpuRate, double[] bytes, int run, String what, long nanos,
                               long cpuNanos, long allocated) {
        if (run >= 0) {
            rate[run] = CHUNK * 1e9 / nanos;
            cpuRate[run] = CHUNK * 1e9 / cpuNanos;
            bytes[run] = (double) allocated / CHUNK;
            System.out.printf("run %d %-6s %,14.0f records/s %,14.0f records/CPU-s %6.1f bytes allocated per record%n",
                    run, what, rate[run], cpuRate[run], bytes[run]);
        }
    }

    /** The raw phase reads as the typed one does: each record's place in the ring's view (a RecordHandler). */
    private final io.junitebpf.bpf.RecordHandler handler = (view, offset, length) -> sum += view.getLong(offset + 8);

    private static void fill(int count) throws Throwable {
        int rc = (int) IOCTL.invokeExact(-1, (long) MAGIC, MemorySegment.ofAddress(count));
        if (rc != -1) {
            throw new IllegalStateException("ioctl(-1) unexpectedly succeeded");
        }
    }

    /** Raw BTF: [1] unsigned long long; [2] struct bench_record { seq; value; } of 32 bytes (the pad left out). */
    static byte[] benchRecordBtf() {
        byte[] strings = "\0unsigned long long\0bench_record\0seq\0value\0".getBytes(StandardCharsets.US_ASCII);
        int ull = 1;
        int benchRecord = ull + "unsigned long long".length() + 1;
        int seq = benchRecord + "bench_record".length() + 1;
        int value = seq + "seq".length() + 1;
        ByteBuffer types = ByteBuffer.allocate(16 + 12 + 2 * 12).order(ByteOrder.LITTLE_ENDIAN);
        types.putInt(ull).putInt(1 << 24).putInt(8).putInt(64);                  // BTF_KIND_INT, 64 bits
        types.putInt(benchRecord).putInt((4 << 24) | 2).putInt(32);             // BTF_KIND_STRUCT, 2 members
        types.putInt(seq).putInt(1).putInt(0);
        types.putInt(value).putInt(1).putInt(64);
        ByteBuffer btf = ByteBuffer.allocate(24 + types.capacity() + strings.length).order(ByteOrder.LITTLE_ENDIAN);
        btf.putShort((short) 0xeB9F).put((byte) 1).put((byte) 0).putInt(24)
                .putInt(0).putInt(types.capacity()).putInt(types.capacity()).putInt(strings.length);
        btf.put(types.array()).put(strings);
        return btf.array();
    }
}
