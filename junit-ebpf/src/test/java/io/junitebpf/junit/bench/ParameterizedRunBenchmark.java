package io.junitebpf.junit.bench;

import io.junitebpf.bpf.BpfObject;
import io.junitebpf.bpf.LoadedObject;
import io.junitebpf.bpf.Program;
import io.junitebpf.bpf.TestRun;
import io.junitebpf.bpf.XdpAction;
import io.junitebpf.junit.Bpf;
import io.junitebpf.junit.EbpfTest;
import io.junitebpf.packet.PacketBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static io.junitebpf.junit.EbpfAssertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * What a packet costs in a parameterized {@code @EbpfTest} over 10,000 packets: the test of the guide (a packet
 * built with {@link PacketBuilder}, run, its verdict asserted) through the JUnit Platform (EngineTestKit, as a
 * build tool's launcher runs it), against the same work in a plain loop in this JVM. Twice: with the object
 * loaded once for the class ({@code lifecycle = PER_CLASS}) and, over fewer packets, with the default lifecycle,
 * which loads it for every invocation (each starts with empty maps). Process CPU time and wall time per packet,
 * medians over the rounds. Not a unit test: run it with {@code scripts/bench-testrun}.
 */
public final class ParameterizedRunBenchmark {

    private static final String OBJECT = "bpf-test/xdp_verdicts.bpf.o";
    private static final int PACKETS = Integer.getInteger("bench.packets", 10_000);
    private static final int LOADING_PACKETS = Integer.getInteger("bench.loadingPackets", 300);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 5);
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private ParameterizedRunBenchmark() {
    }

    /** UDP to port {@code i % 1000}: the discard port (9) is dropped, the rest passes. */
    static byte[] packet(int i) {
        return PacketBuilder.ethernet("02:00:00:00:00:01", "02:00:00:00:00:02").ipv4("10.0.0.1", "10.0.0.2")
                .udp(40000, i % 1000).payload(new byte[22]).build();
    }

    static XdpAction verdict(int i) {
        return i % 1000 == 9 ? XdpAction.XDP_DROP : XdpAction.XDP_PASS;
    }

    /** The test; each subclass says how many packets ({@code packets()}, which JUnit finds in the class run). */
    abstract static class Verdicts {
        @ParameterizedTest
        @MethodSource("packets")
        void eachPacketGetsItsVerdict(int i, @Bpf("xdp_verdicts") Program xdp) {
            assertThat(xdp.testRun(TestRun.data(packet(i)))).hasVerdict(verdict(i));
        }
    }

    /** The object loaded once for the class. */
    @EbpfTest(objects = OBJECT, lifecycle = EbpfTest.Lifecycle.PER_CLASS)
    static class OneLoadPerClass extends Verdicts {
        static Stream<Integer> packets() {
            return IntStream.range(0, PACKETS).boxed();
        }
    }

    /** JUnit's own share: the same test without the extension, the object loaded by hand once. */
    static class WithoutTheExtension {
        private static LoadedObject bpf;
        private static Program xdp;

        @org.junit.jupiter.api.BeforeAll
        static void load() {
            bpf = BpfObject.openResource(OBJECT).load();
            xdp = bpf.program("xdp_verdicts");
        }

        @org.junit.jupiter.api.AfterAll
        static void close() {
            bpf.close();
        }

        static Stream<Integer> packets() {
            return IntStream.range(0, PACKETS).boxed();
        }

        @ParameterizedTest
        @MethodSource("packets")
        void eachPacketGetsItsVerdict(int i) {
            assertThat(xdp.testRun(TestRun.data(packet(i)))).hasVerdict(verdict(i));
        }
    }

    /** The object loaded for every invocation (the default). */
    @EbpfTest(objects = OBJECT)
    static class OneLoadPerPacket extends Verdicts {
        static Stream<Integer> packets() {
            return IntStream.range(0, LOADING_PACKETS).boxed();
        }
    }

    public static void main(String[] args) {
        List<double[]> loop = new ArrayList<>();
        List<double[]> perClass = new ArrayList<>();
        List<double[]> perPacket = new ArrayList<>();
        List<double[]> bare = new ArrayList<>();
        System.out.printf("a parameterized @EbpfTest over %,d packets (PER_CLASS) and %,d packets (an object per"
                + " invocation), against a plain loop; %d rounds after two to warm up%n", PACKETS, LOADING_PACKETS,
                ROUNDS);
        for (int round = -2; round < ROUNDS; round++) {
            double[] l = plainLoop();
            double[] b = throughJUnit(WithoutTheExtension.class, PACKETS);
            double[] c = throughJUnit(OneLoadPerClass.class, PACKETS);
            double[] p = throughJUnit(OneLoadPerPacket.class, LOADING_PACKETS);
            if (round >= 0) {
                loop.add(l);
                bare.add(b);
                perClass.add(c);
                perPacket.add(p);
                System.out.printf("round %d: plain loop %.1f us, JUnit without the extension %.1f us, PER_CLASS %.1f"
                        + " us, object per invocation %.0f us wall per packet%n", round, l[1], b[1], c[1], p[1]);
            }
        }
        double loopCpu = median(loop, 0);
        System.out.printf("plain loop (build, run, assert):     %8.1f us CPU, %8.1f us wall per packet%n", loopCpu,
                median(loop, 1));
        System.out.printf("parameterized test without the extension: %8.1f us CPU, %8.1f us wall per packet (JUnit's"
                + " own share)%n", median(bare, 0), median(bare, 1));
        System.out.printf("parameterized test, PER_CLASS:        %8.1f us CPU, %8.1f us wall per packet (%.1f x the"
                + " loop; %,d packets in %.1f s)%n", median(perClass, 0), median(perClass, 1),
                median(perClass, 0) / loopCpu, PACKETS, median(perClass, 1) * PACKETS / 1e6);
        System.out.printf("parameterized test, object per invocation: %8.0f us CPU, %8.0f us wall per packet"
                + " (10,000 packets would take %.0f s)%n", median(perPacket, 0), median(perPacket, 1),
                median(perPacket, 1) * 10_000 / 1e6);
    }

    /** {CPU µs, wall µs} per packet of the same work without JUnit. */
    private static double[] plainLoop() {
        try (LoadedObject bpf = BpfObject.openResource(OBJECT).load()) {
            Program xdp = bpf.program("xdp_verdicts");
            long cpu = OS.getProcessCpuTime();
            long wall = System.nanoTime();
            for (int i = 0; i < PACKETS; i++) {
                assertThat(xdp.testRun(TestRun.data(packet(i)))).hasVerdict(verdict(i));
            }
            return perPacket(OS.getProcessCpuTime() - cpu, System.nanoTime() - wall, PACKETS);
        }
    }

    /** {CPU µs, wall µs} per packet of the class run by the Jupiter engine; every invocation must pass. */
    private static double[] throughJUnit(Class<?> testClass, int packets) {
        long cpu = OS.getProcessCpuTime();
        long wall = System.nanoTime();
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter").selectors(selectClass(testClass))
                .execute();
        double[] cost = perPacket(OS.getProcessCpuTime() - cpu, System.nanoTime() - wall, packets);
        long succeeded = results.testEvents().succeeded().count();
        if (succeeded != packets || results.testEvents().failed().count() > 0) {
            throw new IllegalStateException(testClass.getSimpleName() + ": " + succeeded + " of " + packets
                    + " invocations passed: " + results.testEvents().failed().list());
        }
        return cost;
    }

    private static double[] perPacket(long cpuNanos, long wallNanos, int packets) {
        return new double[] {cpuNanos / 1e3 / packets, wallNanos / 1e3 / packets};
    }

    private static double median(List<double[]> rows, int column) {
        double[] sorted = rows.stream().mapToDouble(r -> r[column]).sorted().toArray();
        return sorted[sorted.length / 2];
    }
}
