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
 */
public final class WaitLatencyBenchmark {

    @io.junitebpf.event.CStruct("task_info")
    record TaskInfo(long timestampNs, int tgid, int ppid, int uid, String comm, String parentComm) {
    }

    /** When the poller decoded each event (by BPF timestamp): splits the latency into its two hops. */
    static final java.util.Map<Long, Long> DECODED_AT = new java.util.concurrent.ConcurrentHashMap<>();

    @io.junitebpf.event.CStruct("usdt_event")
    record UsdtEvent(String name, TaskInfo task, long arg1, long arg2, int argCount) {
        UsdtEvent {
            DECODED_AT.put(task.timestampNs(), System.nanoTime());
        }
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
        long warmup = 200;
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
            for (int i = -(int) warmup; i < events; i++) {
                long after = last;
                UsdtEvent e = stream.awaitFirst("after " + after, ev -> ev.task().timestampNs() > after,
                        Duration.ofSeconds(10));
                long returned = System.nanoTime();
                last = e.task().timestampNs();
                if (i >= 0) {
                    latencies[i] = returned - last;
                    long decoded = DECODED_AT.getOrDefault(last, returned);
                    toPoller[i] = decoded - last;
                    toWaiter[i] = returned - decoded;
                }
            }
            Arrays.sort(latencies);
            System.out.printf("awaitFirst latency over %,d events (one every %d ms; BPF timestamp to return):%n",
                    events, interval);
            System.out.printf("  p50 %8.1f µs%n  p90 %8.1f µs%n  p99 %8.1f µs%n  max %8.1f µs%n",
                    pct(latencies, 50), pct(latencies, 90), pct(latencies, 99), latencies[events - 1] / 1e3);
            System.out.printf("  p99 goal <= 1000 µs: %s%n", pct(latencies, 99) <= 1000 ? "met" : "NOT met");
            Arrays.sort(toPoller);
            Arrays.sort(toWaiter);
            System.out.printf("  hop 1, BPF stamp to decoded on the poller thread (epoll wakeup): p50 %.1f µs, p99 %.1f"
                    + " µs%n", pct(toPoller, 50), pct(toPoller, 99));
            System.out.printf("  hop 2, decoded to awaitFirst returned (condition signal): p50 %.1f µs, p99 %.1f µs%n",
                    pct(toWaiter, 50), pct(toWaiter, 99));
            System.out.printf("  load average while measured: %s%n",
                    java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).strip());
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

    private static double pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e3;
    }
}
