package io.junitebpf.bpf.bench;

import io.junitebpf.bpf.BpfMap;
import io.junitebpf.bpf.BpfObject;
import io.junitebpf.bpf.LoadedObject;
import io.junitebpf.bpf.MapFds;
import io.junitebpf.bpf.RecordHandler;
import io.junitebpf.bpf.RingBuffer;
import io.junitebpf.bpf.internal.Syscalls;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
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
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * Ring buffer consumer benchmark: {@link RingBuffer.Mode#MAPPED} (through a {@link RecordHandler} and
 * through a {@code Consumer<ByteBuffer>}) and {@link RingBuffer.Mode#LIBBPF_CALLBACK}. Not a unit test: run
 * it with {@code scripts/bench-ringbuf [records-per-run] [runs]}.
 *
 * <p>bpf-test/ringbench.bpf.o writes 32-byte records (40 bytes with the ring
 * header) into a 64 MiB ring in one bpf_loop per ioctl, without wakeups; each
 * reader is opened once; each measurement fills the ring, then times draining it
 * with poll(ZERO) and counts
 * the bytes the draining thread allocated, and its CPU time: on a loaded machine records
 * per CPU-second leave out the time the thread waited for a core. The handler reads one field per
 * record, as a decoder would. Needs root, kernel 5.17+ (bpf_loop), tracefs.
 *
 * <p>A third reader, {@code JAVA_LOOP}, is the Java twin of the C consumer's plain loop: its own mapping
 * of the same ring, the same acquire/release protocol, one field read per record, no API (no handler,
 * no buffer per record). It separates what the JVM makes of the protocol (JAVA_LOOP against C_LOOP)
 * from what the API adds (MAPPED against JAVA_LOOP).
 */
public final class RingBufferBenchmark {

    private static final int MAGIC = 0x4a454251;
    private static final int FILL_CHUNK = 1_000_000; // 40 MB: fits the 64 MiB ring
    private static final MethodHandle IOCTL = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("ioctl").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), Linker.Option.firstVariadicArg(2));
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static final int BUSY_BIT = 1 << 31;
    private static final int DISCARD_BIT = 1 << 30;
    private static final VarHandle LONG = JAVA_LONG.varHandle();

    private long sum;

    private RingBufferBenchmark() {
    }

    /** Records per second of wall time and of the draining thread's CPU time (less sensitive to a loaded machine). */
    record Result(double recordsPerSecond, double recordsPerCpuSecond, double mbPerMillion) {
    }

    /**
     * What is timed. {@code MAPPED}: {@link RingBuffer.Mode#MAPPED} through a {@link RecordHandler}, the
     * record's place in the ring's view (the fast path, the one the goal is about); {@code MAPPED_BUFFER}: the
     * same mode through a {@code Consumer<ByteBuffer>}, a slice per record; {@code LIBBPF_CALLBACK}: libbpf's
     * consumer with an upcall per record; {@code JAVA_LOOP}: the C loop written in Java, no API.
     */
    enum Reader { MAPPED, MAPPED_BUFFER, LIBBPF_CALLBACK, JAVA_LOOP }

    /**
     * {@code records runs [readers]}: the readers to time, comma-separated (default all). MAPPED and
     * MAPPED_BUFFER share the reader's drain loop, and the JIT compiles that loop for the handler classes it
     * has seen: timed in one JVM, each pays for the other's (MAPPED fell from ~300 to ~180 M records/CPU-s),
     * so scripts/bench-ringbuf times them in separate JVMs, as a test JVM would use one of them.
     */
    public static void main(String[] args) throws Throwable {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 9;
        List<Reader> readers = args.length > 2
                ? java.util.Arrays.stream(args[2].split(",")).map(Reader::valueOf).toList()
                : List.of(Reader.values());
        int warmups = 5;
        RingBufferBenchmark bench = new RingBufferBenchmark();
        Map<Reader, List<Result>> results = new EnumMap<>(Reader.class);
        try (LoadedObject bpf = BpfObject.openResource("bpf-test/ringbench.bpf.o").load();
             RingBuffer mappedRing = bpf.ringBuffer("bench_ring", RingBuffer.Mode.MAPPED);
             RingBuffer callbackRing = bpf.ringBuffer("bench_ring", RingBuffer.Mode.LIBBPF_CALLBACK)) {
            // each reader stays open for all runs, as the C baseline's: a fresh mapping per run would
            // time the page faults of its first pass over 40 MB, not the reader
            JavaLoop loop = new JavaLoop(bpf.map("bench_ring"));
            Map<Reader, Drain> drains = Map.of(
                    Reader.MAPPED, () -> mappedRing.poll(Duration.ZERO, bench.recordHandler),
                    Reader.MAPPED_BUFFER, () -> mappedRing.poll(Duration.ZERO, bench.bufferHandler),
                    Reader.LIBBPF_CALLBACK, () -> callbackRing.poll(Duration.ZERO, bench.callbackHandler),
                    Reader.JAVA_LOOP, () -> loop.drain(bench));
            bpf.program("ringbench").attach();
            System.out.printf("ring buffer drain: %,d records of 32 bytes per run, %d runs after %d warm-ups: %s%n",
                    records, runs, warmups, readers);
            for (int run = -warmups; run < runs; run++) {
                // rotate the order so drift (page cache, frequency) hits every reader alike
                for (int k = 0; k < readers.size(); k++) {
                    Reader reader = readers.get(Math.floorMod(run + k, readers.size()));
                    Result r = bench.measure(records, reader.name(), drains.get(reader));
                    if (run >= 0) {
                        results.computeIfAbsent(reader, m -> new ArrayList<>()).add(r);
                        print(run, reader.name(), r);
                    }
                }
            }
        }
        for (Reader reader : readers) {
            Result m = median(results.get(reader));
            System.out.printf("median %-16s %,14.0f records/s %8.2f MB/M records%n", reader, m.recordsPerSecond(),
                    m.mbPerMillion());
            System.out.printf("cpu-median %-16s %,14.0f records/CPU-s%n", reader, m.recordsPerCpuSecond());
        }
    }

    private static void print(int run, String reader, Result r) {
        System.out.printf("run %d %-15s %,14.0f records/s %,14.0f records/CPU-s %8.2f MB allocated"
                + " per million records%n", run, reader, r.recordsPerSecond(), r.recordsPerCpuSecond(),
                r.mbPerMillion());
    }

    /** One drain of whatever is in the ring: the number of records handed over. */
    private interface Drain {
        int drain();
    }

    private Result measure(int records, String reader, Drain drain) throws Throwable {
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
                    int n = drain.drain();
                    if (n == 0) {
                        throw new IllegalStateException(reader + ": ring ran dry after " + got + " of " + chunk
                                + " records (the BPF side could not reserve: is the ring too small?)");
                    }
                    got += n;
                }
                nanos += System.nanoTime() - t0;
                cpuNanos += THREADS.getCurrentThreadCpuTime() - cpu0;
                allocated += THREADS.getCurrentThreadAllocatedBytes() - bytes0;
                if (sum != expectedSum) {
                    throw new IllegalStateException(reader + ": record contents wrong (sum " + sum + " != "
                            + expectedSum + ")");
                }
                done += chunk;
            }
        }
        return new Result(records * 1e9 / nanos, records * 1e9 / cpuNanos, allocated / 1e6 / (records / 1e6));
    }

    /*
     * One handler per reader, same body: the JIT's type profile is per method, and one handler fed the
     * buffers of several readers would see its getLong's profile mixed by the others.
     */
    private final RecordHandler recordHandler = (ring, offset, length) -> sum += ring.getLong(offset + 8);
    private final java.util.function.Consumer<ByteBuffer> bufferHandler = this::handleBuffer;
    private final java.util.function.Consumer<ByteBuffer> callbackHandler = this::handleCallback;

    private void handleBuffer(ByteBuffer record) {
        sum += record.getLong(8);
    }

    private void handleCallback(ByteBuffer record) {
        sum += record.getLong(8);
    }

    /**
     * The C consumer's drain_loop in Java: the ring mapped anew (consumer page read-write, producer page and
     * the data area twice read-only), positions and headers read with acquire semantics, the consumer
     * position published with a release store after each record, one field read per record into the sum.
     * Unmapped when the process exits.
     */
    private static final class JavaLoop {
        private final MemorySegment consumer;
        private final MemorySegment producer;
        private final MemorySegment data;
        private final long mask;

        JavaLoop(BpfMap ring) {
            long page = Syscalls.pageSize();
            long size = Integer.toUnsignedLong(ring.maxEntries());
            int fd = MapFds.fd(ring);
            consumer = MemorySegment.ofAddress(Syscalls.mmap(page, Syscalls.PROT_READ | Syscalls.PROT_WRITE, fd, 0,
                    "map the consumer page")).reinterpret(page);
            MemorySegment rest = MemorySegment.ofAddress(Syscalls.mmap(page + 2 * size, Syscalls.PROT_READ, fd, page,
                    "map the producer page and data")).reinterpret(page + 2 * size);
            producer = rest.asSlice(0, page);
            data = rest.asSlice(page);
            mask = size - 1;
        }

        int drain(RingBufferBenchmark bench) {
            long cons = (long) LONG.getAcquire(consumer, 0L);
            long sum = 0;
            int count = 0;
            boolean progress;
            try {
                do {
                    progress = false;
                    long prod = (long) LONG.getAcquire(producer, 0L);
                    while (cons < prod) {
                        long at = cons & mask;
                        int header = data.get(JAVA_INT, at);
                        VarHandle.acquireFence();
                        if ((header & BUSY_BIT) != 0) {
                            return count;
                        }
                        progress = true;
                        int length = header & ~(BUSY_BIT | DISCARD_BIT);
                        cons += (8 + length + 7) & ~7L;
                        if ((header & DISCARD_BIT) == 0) {
                            sum += data.get(JAVA_LONG_UNALIGNED, at + 8 + 8);
                            count++;
                        }
                        LONG.setRelease(consumer, 0L, cons);
                    }
                } while (progress);
                return count;
            } finally {
                bench.sum += sum;
            }
        }
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
