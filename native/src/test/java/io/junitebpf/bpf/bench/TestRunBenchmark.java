package io.junitebpf.bpf.bench;

import io.junitebpf.bpf.BpfObject;
import io.junitebpf.bpf.LoadedObject;
import io.junitebpf.bpf.Program;
import io.junitebpf.bpf.TestRun;
import io.junitebpf.bpf.TestRunResult;
import io.junitebpf.bpf.XdpAction;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Test-run throughput through {@link Program#testRun} against C over the same program. Not a unit test: run
 * it with {@code scripts/bench-testrun}.
 *
 * <p>Fairness: the C loops (native/src/test/c/testrun_batch.c) are a shared library this JVM loads and calls
 * once per batch, on the program this JVM loaded. In this process, not in one of their own: on this
 * project's VMs two processes running the same loop differ by up to a third for their whole lives (seen as
 * 1.75 against 2.5 µs a call, on either side), which made a C process against a JVM a draw of lots; in one
 * process both share the page tables and that fate. Short C, Java API and bare FFM batches alternate many
 * times (their order rotating each round), so a burst of load from other work hits all alike. Every side
 * counts its own thread's CPU time (user + system, most of it the kernel's run) over the batch: on a shared
 * machine wall time would measure the neighbours too. The figures are medians over the rounds. The goal's C
 * loop calls libbpf's bpf_prog_test_run_opts, as a C user would; the Java API skips that wrapper, so a second
 * C loop that makes the raw syscall the same way is measured too and its ratio printed beside.
 *
 * <p>Each call runs xdp_firewall of bpf-test/testrun.bpf.o once ({@code repeat = 1}) on a 64-byte
 * Ethernet/IPv4/UDP packet, as the C loops do.
 */
public final class TestRunBenchmark {

    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

    private TestRunBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path library = Path.of(args[0]);
        Path object = Path.of(args[1]);
        int calls = args.length > 2 ? Integer.parseInt(args[2]) : 50_000;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 21;
        byte[] packet = packet();
        List<Double> java = new ArrayList<>();
        List<Double> c = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        List<Double> ffm = new ArrayList<>();
        List<Double> cRaw = new ArrayList<>();
        List<Double> kept = new ArrayList<>();
        double[] syscallFloor;
        try (LoadedObject bpf = BpfObject.openFile(object).load()) {
            Program program = bpf.program("xdp_firewall");
            TestRun run = TestRun.data(packet);
            int fd = programFd(program.id());
            CBatch cSide = new CBatch(library, fd);
            RawLoop raw = new RawLoop(fd, packet);
            System.out.printf("test runs of xdp_firewall on a %d-byte packet, repeat = 1: batches of %,d calls,"
                    + " %d rounds of C / Java API / bare FFM / C by syscall / Java API keeping its results in"
                    + " rotating order after warm-up,"
                    + " all in this process%n", packet.length, calls, rounds);
            for (int warm = 0; warm < 3; warm++) { // JIT, caches
                measure(program, run, calls);
                measureKept(program, run, calls);
                raw.measure(calls);
                cSide.measure(calls, CBatch.LIBBPF);
                cSide.measure(calls, CBatch.SYSCALL);
            }
            for (int round = 0; round < rounds; round++) {
                double[] rate = new double[5];
                for (int k = 0; k < 5; k++) {
                    int side = (round + k) % 5;
                    rate[side] = switch (side) {
                        case 0 -> cSide.measure(calls, CBatch.LIBBPF);
                        case 1 -> measure(program, run, calls);
                        case 2 -> raw.measure(calls);
                        case 3 -> cSide.measure(calls, CBatch.SYSCALL);
                        default -> measureKept(program, run, calls);
                    };
                }
                c.add(rate[0]);
                java.add(rate[1]);
                ffm.add(rate[2]);
                cRaw.add(rate[3]);
                kept.add(rate[4]);
                ratios.add(rate[1] / rate[0]);
                System.out.printf("round %2d  C %,9.0f   Java API %,9.0f   bare FFM %,9.0f   C by syscall %,9.0f"
                        + "   API keeping results %,9.0f calls/CPU-s   API/C %.3f%n", round, rate[0], rate[1], rate[2],
                        rate[3], rate[4], rate[1] / rate[0]);
            }
            syscallFloor = syscallFloor(cSide, calls, rounds);
        }
        perPacket(object);
        double cMedian = median(c);
        double javaMedian = median(java);
        System.out.printf("median C    %,12.0f calls/CPU-s (%.0f ns a call)%n", cMedian, 1e9 / cMedian);
        System.out.printf("median Java %,12.0f calls/CPU-s (%.0f ns a call)%n", javaMedian, 1e9 / javaMedian);
        System.out.printf("median bare FFM in this JVM %,12.0f calls/CPU-s (%.0f ns a call): bare FFM / C %.3f (libbpf's"
                + " function through a plain critical downcall, as one would call it without this API)%n",
                median(ffm), 1e9 / median(ffm), median(ffm) / cMedian);
        System.out.printf("median Java keeping every result %,12.0f calls/CPU-s (%.0f ns a call): kept / C %.3f (a"
                + " result that escapes is allocated; one only looked at is not; thread CPU, so its collections, on GC"
                + " threads, are not counted)%n", median(kept),
                1e9 / median(kept), median(kept) / cMedian);
        System.out.printf("median C by syscall(SYS_bpf), without libbpf's wrapper, as the Java API calls it %,12.0f"
                + " calls/CPU-s (%.0f ns a call): Java API / it %.3f%n", median(cRaw), 1e9 / median(cRaw),
                javaMedian / median(cRaw));
        System.out.printf("the cheapest system call, getppid: C %.0f ns, Java (critical downcall) %.0f ns: a JVM"
                + " pays %.0f ns more for any system call here; of the API's %.0f ns over C by syscall(SYS_bpf),"
                + " the rest, %.0f ns, is the API's and the test run's%n", syscallFloor[0], syscallFloor[1],
                syscallFloor[1] - syscallFloor[0], 1e9 / javaMedian - 1e9 / median(cRaw),
                1e9 / javaMedian - 1e9 / median(cRaw) - (syscallFloor[1] - syscallFloor[0]));
        System.out.printf("Java / C throughput ratio: %.3f of the medians, %.3f median of the rounds' ratios"
                + " (goal >= 0.95)%n", javaMedian / cMedian, median(ratios));
    }

    private static double measure(Program program, TestRun run, int calls) {
        long t0 = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < calls; i++) {
            TestRunResult r = program.testRun(run);
            if (r.returnValue() != XdpAction.XDP_PASS.value()) {
                throw new IllegalStateException("unexpected verdict " + r);
            }
        }
        return calls * 1e9 / (THREADS.getCurrentThreadCpuTime() - t0);
    }

    /**
     * As {@link #measure}, but every result is kept for a while (in a ring of 1024), as a test collecting
     * results would: the allocation escape analysis removes from the plain loop stays.
     */
    private static double measureKept(Program program, TestRun run, int calls) {
        TestRunResult[] keep = new TestRunResult[1024];
        long t0 = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < calls; i++) {
            TestRunResult r = program.testRun(run);
            if (r.returnValue() != XdpAction.XDP_PASS.value()) {
                throw new IllegalStateException("unexpected verdict " + r);
            }
            keep[i & 1023] = r;
        }
        double rate = calls * 1e9 / (THREADS.getCurrentThreadCpuTime() - t0);
        if (keep[calls - 1 & 1023] == null) {
            throw new IllegalStateException("no result kept");
        }
        return rate;
    }

    /**
     * What one system call costs in this JVM against in C, with nothing else around it: getppid, the
     * cheapest, in alternating batches, as ns per call (medians): {C, Java}. On a VM whose kernel isolates
     * page tables (PTI) without PCID, every system call empties the TLB, and a JVM's loop touches more pages
     * than a C loop's to refill it.
     */
    private static double[] syscallFloor(CBatch cSide, int calls, int rounds) {
        long getppid = switch (io.junitebpf.bpf.internal.Syscalls.ARCH) {
            case "amd64", "x86_64" -> 110;
            case "aarch64", "riscv64" -> 173;
            default -> -1;
        };
        if (getppid < 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        var linker = java.lang.foreign.Linker.nativeLinker();
        java.lang.invoke.MethodHandle syscall = linker.downcallHandle(linker.defaultLookup().find("syscall")
                .orElseThrow(), java.lang.foreign.FunctionDescriptor.of(java.lang.foreign.ValueLayout.JAVA_LONG,
                java.lang.foreign.ValueLayout.JAVA_LONG), java.lang.foreign.Linker.Option.critical(false));
        List<Double> cNanos = new ArrayList<>();
        List<Double> javaNanos = new ArrayList<>();
        for (int round = -3; round < rounds; round++) {
            double cRate = cSide.measure(calls, CBatch.GETPPID);
            long t0 = THREADS.getCurrentThreadCpuTime();
            for (int i = 0; i < calls; i++) {
                try {
                    if ((long) syscall.invokeExact(getppid) < 0) { // (0 in a container whose init is this JVM)
                        throw new IllegalStateException("getppid failed");
                    }
                } catch (Throwable t) {
                    throw new IllegalStateException(t);
                }
            }
            double javaNs = (double) (THREADS.getCurrentThreadCpuTime() - t0) / calls;
            if (round >= 0) {
                cNanos.add(1e9 / cRate);
                javaNanos.add(javaNs);
            }
        }
        return new double[] {median(cNanos), median(javaNanos)};
    }

    private static void perPacket(Path object) {
        int count = 10_000;
        try (LoadedObject bpf = BpfObject.openFile(object).load()) {
            Program program = bpf.program("xdp_firewall");
            io.junitebpf.packet.PacketBuilder base = io.junitebpf.packet.PacketBuilder
                    .ethernet("02:00:00:00:00:01", "02:00:00:00:00:02").ipv4("10.0.0.1", "10.0.0.2");
            for (int warm = 0; warm < 3; warm++) {
                long t0 = THREADS.getCurrentThreadCpuTime();
                List<byte[]> packets = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    packets.add(base.udp(40000, i % 1000).payload(new byte[22]).build());
                }
                long t1 = THREADS.getCurrentThreadCpuTime();
                int dropped = 0;
                for (byte[] p : packets) {
                    dropped += program.testRun(TestRun.data(p)).is(XdpAction.XDP_DROP) ? 1 : 0;
                }
                long t2 = THREADS.getCurrentThreadCpuTime();
                if (dropped != count / 1000) {
                    throw new IllegalStateException("dropped " + dropped + " of " + count);
                }
                if (warm == 2) {
                    System.out.printf("10,000 different packets: %.2f us each to build, %.2f us each to run"
                            + " (CPU time)%n", (t1 - t0) / 1e3 / count, (t2 - t1) / 1e3 / count);
                }
            }
        }
    }

    /**
     * The same call with no API around it: one critical downcall to bpf_prog_test_run_opts on preset native
     * memory, the C loop's function called as one would call it from Java without this API.
     */
    private static final class RawLoop {
        private final java.lang.invoke.MethodHandle run;
        private final int fd;
        private final java.lang.foreign.MemorySegment opts;
        private final java.lang.foreign.MemorySegment in;
        private final java.lang.foreign.MemorySegment out;

        RawLoop(int fd, byte[] packet) {
            var linker = java.lang.foreign.Linker.nativeLinker();
            var arena = java.lang.foreign.Arena.ofAuto();
            run = linker.downcallHandle(java.lang.foreign.SymbolLookup.libraryLookup("libbpf.so.1", arena)
                    .find("bpf_prog_test_run_opts").orElseThrow(), java.lang.foreign.FunctionDescriptor.of(
                    java.lang.foreign.ValueLayout.JAVA_INT, java.lang.foreign.ValueLayout.JAVA_INT,
                    java.lang.foreign.ValueLayout.ADDRESS), java.lang.foreign.Linker.Option.critical(false));
            this.fd = fd;
            opts = arena.allocate(80, 8);
            in = arena.allocate(packet.length);
            in.copyFrom(java.lang.foreign.MemorySegment.ofArray(packet));
            out = arena.allocate(packet.length + TestRun.DEFAULT_DATA_GROWTH);
        }

        double measure(int calls) {
            long t0 = THREADS.getCurrentThreadCpuTime();
            try {
                for (int i = 0; i < calls; i++) {
                    opts.fill((byte) 0);
                    opts.set(java.lang.foreign.ValueLayout.JAVA_LONG, 0, 80);
                    opts.set(java.lang.foreign.ValueLayout.ADDRESS, 8, in);
                    opts.set(java.lang.foreign.ValueLayout.ADDRESS, 16, out);
                    opts.set(java.lang.foreign.ValueLayout.JAVA_INT, 24, (int) in.byteSize());
                    opts.set(java.lang.foreign.ValueLayout.JAVA_INT, 28, (int) out.byteSize());
                    int rc = (int) run.invokeExact(fd, opts);
                    if (rc != 0 || opts.get(java.lang.foreign.ValueLayout.JAVA_INT, 56) != 2) {
                        throw new IllegalStateException("bare test run failed: " + rc);
                    }
                }
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
            return calls * 1e9 / (THREADS.getCurrentThreadCpuTime() - t0);
        }
    }

    /** This process's fd of the program with that id (fdinfo names each bpf-prog fd's prog_id). */
    private static int programFd(int programId) throws IOException {
        try (var fds = java.nio.file.Files.list(Path.of("/proc/self/fdinfo"))) {
            for (Path info : fds.toList()) {
                String text;
                try {
                    text = java.nio.file.Files.readString(info);
                } catch (IOException gone) {
                    continue;
                }
                if (text.contains("prog_id:\t" + programId + "\n")) {
                    return Integer.parseInt(info.getFileName().toString());
                }
            }
        }
        throw new IllegalStateException("no fd of program id " + programId + " in /proc/self/fdinfo");
    }

    /** The C loops of testrun_batch.c, in this process: one downcall a batch, which answers its CPU time. */
    private static final class CBatch {
        static final int LIBBPF = 0;
        static final int SYSCALL = 1;
        static final int GETPPID = 2;

        private final java.lang.invoke.MethodHandle batch;
        private final int fd;
        private final java.lang.foreign.MemorySegment error = java.lang.foreign.Arena.ofAuto()
                .allocate(java.lang.foreign.ValueLayout.JAVA_INT);

        CBatch(Path library, int fd) {
            var linker = java.lang.foreign.Linker.nativeLinker();
            batch = linker.downcallHandle(java.lang.foreign.SymbolLookup.libraryLookup(library,
                            java.lang.foreign.Arena.global()).find("testrun_batch").orElseThrow(),
                    java.lang.foreign.FunctionDescriptor.of(java.lang.foreign.ValueLayout.JAVA_LONG,
                            java.lang.foreign.ValueLayout.JAVA_INT, java.lang.foreign.ValueLayout.JAVA_LONG,
                            java.lang.foreign.ValueLayout.JAVA_INT, java.lang.foreign.ValueLayout.ADDRESS));
            this.fd = fd;
        }

        /** Calls per CPU-second of a batch in {@code mode}. */
        double measure(int calls, int mode) {
            long nanos;
            try {
                nanos = (long) batch.invokeExact(fd, (long) calls, mode, error);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
            if (nanos < 0) {
                int errno = error.get(java.lang.foreign.ValueLayout.JAVA_INT, 0);
                throw new IllegalStateException("the C loop (mode " + mode + ") failed: "
                        + (errno == 0 ? "a verdict other than XDP_PASS" : "errno " + errno));
            }
            return calls * 1e9 / nanos;
        }
    }

    /** The C loops' packet: Ethernet + IPv4 + UDP to port 53, zero-padded to 64 bytes. */
    private static byte[] packet() {
        byte[] head = {2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x00,
                0x45, 0, 0, 50, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
                (byte) 0x9c, 0x40, 0, 53, 0, 30, 0, 0};
        return Arrays.copyOf(head, 64);
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[sorted.length / 2];
    }
}
