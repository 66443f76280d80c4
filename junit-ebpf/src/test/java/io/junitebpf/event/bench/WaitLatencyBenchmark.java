package io.junitebpf.event.bench;

import io.junitebpf.bpf.BpfObject;
import io.junitebpf.bpf.LoadedObject;
import io.junitebpf.bpf.Usdt;
import io.junitebpf.btf.Btf;
import io.junitebpf.event.EventSources;
import io.junitebpf.event.EventStream;
import io.junitebpf.event.RecordLayout;
import io.junitebpf.target.TargetProcess;
import io.junitebpf.target.Umark;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * How fast a wait returns once the kernel wrote the event, and what a waiting
 * stream costs while nothing happens. Not a test: run {@code scripts/bench-waits}.
 *
 * <p>umark fires groupa:probe1 every {@code interval} ms; the USDT program stamps
 * each event with {@code bpf_ktime_get_ns()} (CLOCK_MONOTONIC, the clock of
 * {@code System.nanoTime()} on Linux). For each event an {@code awaitFirst} waits
 * for the next one; its latency is the time from the BPF stamp to the return.
 * Then one wait idles (no producer firing) and the process's CPU time is measured.
 *
 * <p>{@code -Dbench.baseline=PATH} runs the C wake-up baseline (scripts/lib/wakeup-baseline.c)
 * after the measurement, so the machine's scheduling noise can be told from the library's;
 * {@code -Dbench.ringBaseline=PATH} then runs scripts/lib/ring-wakeup-baseline.c: a C
 * consumer of the same object, program and probe on a umark of its own, the like-for-like figure.
 * Each runs alone, as the measurement did. {@code -Dbench.threads=true} prints which threads allocated
 * how much per event; {@code -Dbench.warmup=N} sets the events waited for before measuring (200);
 * {@code -Dbench.dump=FILE} writes each measured event's latency, in order (periodic outliers show a
 * machine's periodic work).
 */
public final class WaitLatencyBenchmark {

    @io.junitebpf.event.CStruct("task_info")
    record TaskInfo(long timestampNs, int tgid, int ppid, int uid, String comm, String parentComm) {
    }

    /**
     * When the poller decoded each event: pairs (BPF stamp, System.nanoTime) in a preallocated ring,
     * written by the thread that read the record (the waiting thread itself, which took over reading, or the
     * stream's poller thread), so the split of the latency into its two parts allocates nothing.
     */
    static final long[] DECODED_AT = new long[2 * 4096];
    static final java.util.concurrent.atomic.AtomicLong DECODED = new java.util.concurrent.atomic.AtomicLong();

    @io.junitebpf.event.CStruct("usdt_event")
    record UsdtEvent(String name, TaskInfo task, long arg1, long arg2, int argCount) {
        UsdtEvent {
            int slot = (int) (DECODED.get() % (DECODED_AT.length / 2)) * 2;
            DECODED_AT[slot] = task.timestampNs();
            DECODED_AT[slot + 1] = System.nanoTime();
            DECODED.incrementAndGet(); // publishes the pair to the waiter
        }
    }

    /** When the poller decoded the event stamped {@code stamp}, or {@code otherwise} when it is no longer kept. */
    static long decodedAt(long stamp, long otherwise) {
        long n = DECODED.get();
        for (long k = n - 1; k >= Math.max(0, n - DECODED_AT.length / 2); k--) {
            int slot = (int) (k % (DECODED_AT.length / 2)) * 2;
            if (DECODED_AT[slot] == stamp) {
                return DECODED_AT[slot + 1];
            }
        }
        return otherwise;
    }

    private WaitLatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int interval = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int idleSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        byte[] bytes;
        try (InputStream in = WaitLatencyBenchmark.class.getClassLoader().getResourceAsStream("bpf/usdt.bpf.o")) {
            bytes = in.readAllBytes();
        }
        Btf btf = Btf.parse("bpf/usdt.bpf.o", bytes);
        RecordLayout<UsdtEvent> layout = RecordLayout.of(UsdtEvent.class, btf);
        long warmup = Long.getLong("bench.warmup", 200);
        try (LoadedObject bpf = BpfObject.open(bytes, "bpf/usdt.bpf.o").load();
             TargetProcess umark = TargetProcess.launch(Umark.executable(), List.of("--count",
                     Long.toString(events + warmup + 10), "--interval", Integer.toString(interval), "--gate"),
                     TargetProcess.Gate.STDIN_LINE);
             EventStream<UsdtEvent> stream = EventStream.open(EventSources.of(bpf.ringBuffer("events"),
                     "usdt events"), layout, 100_000)) {
            bpf.program("func_usdt1").attachUsdt(Usdt.of(umark.executable(), "groupa", "probe1")
                    .withPid(umark.pid()));
            umark.release();
            long[] latencies = new long[events];
            long[] toPoller = new long[events];
            long[] toWaiter = new long[events];
            long last = 0;
            long allocated0 = 0;
            long[] gc0 = null;
            java.util.Map<String, Long> threadsAllocated0 = java.util.Map.of();
            for (int i = -(int) warmup; i < events; i++) {
                long after = last;
                UsdtEvent e = stream.awaitFirst("after " + after, ev -> ev.task().timestampNs() > after,
                        Duration.ofSeconds(10));
                long returned = System.nanoTime();
                last = e.task().timestampNs();
                if (i == -2) {
                    // two events before the first measured one: whatever arrives while this runs is not timed
                    threadsAllocated0 = allocatedByThread();
                    allocated0 = THREADS.getTotalThreadAllocatedBytes();
                    gc0 = gcCountAndMillis();
                }
                if (i >= 0) {
                    latencies[i] = returned - last;
                    long decoded = decodedAt(last, returned);
                    toPoller[i] = decoded - last;
                    toWaiter[i] = returned - decoded;
                }
            }
            String dump = System.getProperty("bench.dump"); // -Dbench.dump=FILE: each event's figures, in order
            if (dump != null) {
                StringBuilder rows = new StringBuilder("event latency_ns to_decoded_ns\n");
                for (int k = 0; k < events; k++) {
                    rows.append(k).append(' ').append(latencies[k]).append(' ').append(toPoller[k]).append('\n');
                }
                java.nio.file.Files.writeString(java.nio.file.Path.of(dump), rows);
            }
            long allocatedPerEvent = (THREADS.getTotalThreadAllocatedBytes() - allocated0) / events;
            long[] gc1 = gcCountAndMillis();
            if (Boolean.getBoolean("bench.threads")) { // -Dbench.threads=true: who allocated, per event
                java.util.Map<String, Long> before = threadsAllocated0;
                allocatedByThread().forEach((name, total) -> System.out.printf("  thread %-40s %,8d bytes per event%n",
                        name, (total - before.getOrDefault(name, 0L)) / events));
            }
            Arrays.sort(latencies);
            System.out.printf("awaitFirst latency over %,d events (one every %d ms; BPF timestamp to return):%n",
                    events, interval);
            System.out.printf("  p50 %8.1f µs%n  p90 %8.1f µs%n  p99 %8.1f µs%n  max %8.1f µs%n",
                    pct(latencies, 50), pct(latencies, 90), pct(latencies, 99), latencies[events - 1] / 1e3);
            System.out.printf("  p99 goal <= 1000 µs: %s%n", pct(latencies, 99) <= 1000 ? "met" : "NOT met");
            Arrays.sort(toPoller);
            Arrays.sort(toWaiter);
            System.out.printf("  part 1, BPF stamp to decoded by the reading thread (epoll wakeup): p50 %.1f µs, p99 %.1f"
                    + " µs%n", pct(toPoller, 50), pct(toPoller, 99));
            System.out.printf("  part 2, decoded to awaitFirst returned (same thread when the wait reads): p50 %.1f µs, p99 %.1f µs%n",
                    pct(toWaiter, 50), pct(toWaiter, 99));
            System.out.printf("  while measured: %,d bytes allocated per event (all threads; the benchmark's own"
                    + " share is small), %d GC pause(s) taking %d ms in all%n",
                    allocatedPerEvent, gc1[0] - gc0[0], gc1[1] - gc0[1]);
            System.out.printf("  load average while measured: %s%n",
                    java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).strip());
        }
        // the baselines one after the other, each alone on the machine as the measurement above was: run
        // during it, they were load on two cores themselves (their start alone, a BPF load, delayed the
        // first measured events by up to 25 ms)
        Process baseline = startBaseline(events, interval);
        if (baseline != null) {
            System.out.print("then alone, ");
            System.out.print(new String(baseline.getInputStream().readAllBytes()));
            baseline.waitFor();
        }
        Process ringBaseline = startRingBaseline(bytes, Umark.executable(), events, interval);
        if (ringBaseline != null) {
            System.out.print("then alone, " + new String(ringBaseline.getInputStream().readAllBytes()));
            if (ringBaseline.waitFor() != 0) {
                throw new IllegalStateException("the C ring baseline failed (its output above)");
            }
        }
        // idle: a stream whose producer never fires; one wait runs out its time
        try (LoadedObject bpf = BpfObject.open(bytes, "bpf/usdt.bpf.o").load();
             EventStream<UsdtEvent> stream = EventStream.open(EventSources.of(bpf.ringBuffer("events"),
                     "usdt events"), layout, 100_000)) {
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            try {
                stream.awaitFirst("that never comes", e -> true, Duration.ofSeconds(idleSeconds));
            } catch (AssertionError expected) {
                // timed out, as intended
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            double cpuMs = (os.getProcessCpuTime() - cpu0) / 1e6;
            System.out.printf("idle wait: %.1f s, whole-process CPU %.1f ms (%.2f ms CPU per second, %.3f%% of one "
                    + "core)%n", wall, cpuMs, cpuMs / wall, cpuMs / wall / 10);
        }
    }

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Starts the C wake-up baseline ({@code -Dbench.baseline=PATH}, see scripts/bench-waits). */
    private static Process startBaseline(int events, int interval) throws java.io.IOException {
        String path = System.getProperty("bench.baseline");
        if (path == null) {
            return null;
        }
        return new ProcessBuilder(path, Integer.toString(events), Integer.toString(interval))
                .redirectErrorStream(true).start();
    }

    /**
     * Starts the C ring consumer baseline ({@code -Dbench.ringBaseline=PATH}) on the same object (written to a
     * temporary file) and its own umark.
     */
    private static Process startRingBaseline(byte[] object, java.nio.file.Path umark, int events, int interval)
            throws java.io.IOException {
        String path = System.getProperty("bench.ringBaseline");
        if (path == null) {
            return null;
        }
        java.nio.file.Path file = java.nio.file.Files.createTempFile("usdt", ".bpf.o");
        java.nio.file.Files.write(file, object);
        file.toFile().deleteOnExit();
        return new ProcessBuilder(path, file.toString(), umark.toString(), Integer.toString(events),
                Integer.toString(interval)).redirectErrorStream(true).start();
    }

    private static java.util.Map<String, Long> allocatedByThread() {
        java.util.Map<String, Long> bytes = new java.util.TreeMap<>();
        for (long id : THREADS.getAllThreadIds()) {
            var info = THREADS.getThreadInfo(id);
            if (info != null) {
                bytes.merge(info.getThreadName(), THREADS.getThreadAllocatedBytes(id), Long::sum);
            }
        }
        return bytes;
    }

    /** Collections and their accumulated time (ms) over all collectors. */
    private static long[] gcCountAndMillis() {
        long count = 0;
        long millis = 0;
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    private static double pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e3;
    }
}
