package io.junitebpf.bpf.testrun;

import io.junitebpf.bpf.BpfException;
import io.junitebpf.bpf.BpfObject;
import io.junitebpf.bpf.Errno;
import io.junitebpf.bpf.FeatureUnavailableException;
import io.junitebpf.bpf.KernelFeature;
import io.junitebpf.bpf.KernelFeatures;
import io.junitebpf.bpf.LoadedObject;
import io.junitebpf.bpf.Program;
import io.junitebpf.bpf.ProgramType;
import io.junitebpf.bpf.TcAction;
import io.junitebpf.bpf.TestRun;
import io.junitebpf.bpf.TestRunResult;
import io.junitebpf.bpf.XdpAction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Program.testRun on the real kernel, one program of each type it can run
 * (testrun.bpf.c), with inputs whose output shows the program ran on them.
 */
class TestRunTest {

    static final String RESOURCE = "bpf-test/testrun.bpf.o";
    private static LoadedObject bpf;

    @BeforeAll
    static void load() {
        bpf = BpfObject.openResource(RESOURCE).load();
    }

    @AfterAll
    static void close() {
        bpf.close();
    }

    /** A minimal Ethernet + IPv4 + UDP frame to {@code port}, checksums zero (the programs do not look). */
    static byte[] udpFrame(int port, int payload) {
        ByteBuffer b = ByteBuffer.allocate(14 + 20 + 8 + payload);
        b.put(new byte[] {2, 0, 0, 0, 0, 1}).put(new byte[] {2, 0, 0, 0, 0, 2}).putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + 8 + payload)).putInt(0).put((byte) 64)
                .put((byte) 17).putShort((short) 0).putInt(0x0a000001).putInt(0x0a000002);
        b.putShort((short) 40000).putShort((short) port).putShort((short) (8 + payload)).putShort((short) 0);
        return b.array();
    }

    @Test
    void programTypesComeFromTheSections() {
        assertThat(bpf.program("xdp_firewall").type()).isEqualTo(ProgramType.XDP);
        assertThat(bpf.program("tc_firewall").type()).isEqualTo(ProgramType.SCHED_CLS);
        assertThat(bpf.program("socket_half").type()).isEqualTo(ProgramType.SOCKET_FILTER);
        assertThat(bpf.program("raw_double").type()).hasToString("BPF_PROG_TYPE_RAW_TRACEPOINT");
    }

    @Test
    void xdpVerdictsDependOnThePacket() {
        long droppedBefore = dropped();
        TestRunResult blocked = bpf.program("xdp_firewall").testRun(TestRun.data(udpFrame(9, 4)));
        TestRunResult other = bpf.program("xdp_firewall").testRun(TestRun.data(udpFrame(53, 4)));

        assertThat(blocked.xdpAction()).isEqualTo(XdpAction.XDP_DROP);
        assertThat(blocked.is(XdpAction.XDP_DROP)).isTrue();
        assertThat(other.xdpAction()).isEqualTo(XdpAction.XDP_PASS);
        assertThat(other.data()).as("XDP_PASS leaves the packet as it was").isEqualTo(udpFrame(53, 4));
        assertThat(dropped()).isEqualTo(droppedBefore + 1);
    }

    @Test
    void repeatRunsTheProgramThatOftenAndReportsTheAverageDuration() {
        long droppedBefore = dropped();
        TestRunResult r = bpf.program("xdp_firewall").testRun(TestRun.data(udpFrame(9, 4)).withRepeat(1000));
        assertThat(r.xdpAction()).isEqualTo(XdpAction.XDP_DROP);
        assertThat(dropped()).isEqualTo(droppedBefore + 1000);
        assertThat(r.averageNanos()).isPositive().isLessThan(1_000_000);
    }

    @Test
    void theOutputPacketIsWhatTheProgramMadeOfIt() {
        byte[] in = udpFrame(53, 4);
        TestRunResult r = bpf.program("xdp_reflect").testRun(TestRun.data(in));
        assertThat(r.xdpAction()).isEqualTo(XdpAction.XDP_TX);
        assertThat(Arrays.copyOfRange(r.data(), 0, 6)).isEqualTo(Arrays.copyOfRange(in, 6, 12));
        assertThat(Arrays.copyOfRange(r.data(), 6, 12)).isEqualTo(Arrays.copyOfRange(in, 0, 6));
        assertThat(Arrays.copyOfRange(r.data(), 12, in.length)).isEqualTo(Arrays.copyOfRange(in, 12, in.length));
    }

    @Test
    void threadsRunningOneProgramEachGetTheirOwnOutput() throws Exception {
        // the runs share the program's buffer, one at a time: a run must never see another's packet
        var program = bpf.program("xdp_reflect");
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
            var results = new java.util.ArrayList<java.util.concurrent.Future<Integer>>();
            for (int t = 0; t < 4; t++) {
                int port = 1000 + t;
                results.add(pool.submit(() -> {
                    byte[] in = udpFrame(port, 4 + port % 4); // different lengths too
                    for (int i = 0; i < 2000; i++) {
                        byte[] out = program.testRun(TestRun.data(in)).data();
                        assertThat(out).hasSize(in.length);
                        assertThat(Arrays.copyOfRange(out, 12, in.length)).isEqualTo(Arrays.copyOfRange(in, 12,
                                in.length));
                    }
                    return port;
                }));
            }
            for (var r : results) {
                assertThat(r.get()).isBetween(1000, 1003);
            }
        }
    }

    @Test
    void runsOfOneProgramTakingTurnsEachSeeTheirOwnPacket() {
        // a packet run again is not copied again: the program's buffer must never answer with another's bytes
        Program reflect = bpf.program("xdp_reflect");
        TestRun a = TestRun.data(udpFrame(1000, 4));
        TestRun b = TestRun.data(udpFrame(2000, 40));
        // input, room for its output and the options pass the buffer's first 8 KiB: it grows, and the packet
        // lying in the old one must not be taken for copied into the new one
        TestRun large = TestRun.data(udpFrame(4000, 2300));
        TestRun grown = TestRun.data(udpFrame(3000, 0));
        for (TestRun run : List.of(a, a, b, a, b, b, a, large, a, large, large, b)) {
            byte[] in = run.data();
            byte[] out = reflect.testRun(run).data();
            assertThat(out).as("output of the %d-byte packet", in.length).hasSize(in.length);
            assertThat(Arrays.copyOfRange(out, 0, 6)).isEqualTo(Arrays.copyOfRange(in, 6, 12));
            assertThat(Arrays.copyOfRange(out, 12, in.length)).isEqualTo(Arrays.copyOfRange(in, 12, in.length));
        }
        assertThat(bpf.program("xdp_reflect")).as("one Program per name, and so one buffer").isSameAs(reflect);
        Program grow = bpf.program("xdp_grow");
        for (int i = 0; i < 2; i++) {
            byte[] out = grow.testRun(grown).data();
            assertThat(Arrays.copyOfRange(out, 16, out.length)).isEqualTo(grown.data());
        }
    }

    @Test
    void aGrownPacketComesBackWhole() {
        byte[] in = udpFrame(53, 4);
        TestRunResult r = bpf.program("xdp_grow").testRun(TestRun.data(in));
        assertThat(r.data()).hasSize(in.length + 16);
        assertThat(Arrays.copyOfRange(r.data(), 16, r.data().length)).isEqualTo(in);
        assertThat(r.data()[0]).isEqualTo((byte) 0xee);
    }

    @Test
    void anOutputBufferTooSmallSaysWhichSizeToGive() {
        byte[] in = udpFrame(53, 4);
        assertThatThrownBy(() -> bpf.program("xdp_grow").testRun(TestRun.data(in).withDataSizeOut(in.length)))
                .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOSPC))
                .hasMessageContaining("test-run program 'xdp_grow'")
                .hasMessageContaining("withDataSizeOut(" + (in.length + 16) + ")");
    }

    @Test
    void anUnchangedPacketTooLargeForItsBufferSaysWhichSizeToGive() {
        byte[] in = udpFrame(53, 4);
        long passedBefore = verdict(0);
        assertThatThrownBy(() -> bpf.program("xdp_firewall").testRun(TestRun.data(in).withDataSizeOut(20)))
                .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOSPC))
                .hasMessageContaining("withDataSizeOut(" + in.length + ")");
        // the kernel ran the program before it found the buffer too small: once, not again to learn the errno
        assertThat(verdict(0)).as("runs of the program").isEqualTo(passedBefore + 1);
    }

    @Test
    void aPacketInFragmentsTooLargeForItsBufferRanOnceAndSaysWhatToGive() {
        // beyond a page the kernel splits an XDP packet into fragments, and refuses a short output buffer
        // before it writes any size: the run cannot be told from a refused one by its sizes
        byte[] in = udpFrame(53, 9000 - 42);
        long passedBefore = verdict(0);
        assertThatThrownBy(() -> bpf.program("xdp_firewall").testRun(TestRun.data(in).withDataSizeOut(1500)))
                .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOSPC))
                .hasMessageContaining("does not fit the 1500-byte buffer")
                .hasMessageContaining("withDataSizeOut(9000)");
        assertThat(verdict(0)).as("runs of the program").isEqualTo(passedBefore + 1);
    }

    @Test
    void theOutputPacketIsTheCallersToChange() {
        // an unchanged packet shares the run's input array inside the result; data() must hand out copies
        TestRun run = TestRun.data(udpFrame(53, 4));
        TestRunResult r = bpf.program("xdp_firewall").testRun(run);
        r.data()[0] = 99;
        assertThat(r.data()[0]).isEqualTo((byte) 2);
        assertThat(run.data()[0]).isEqualTo((byte) 2);
        assertThat(bpf.program("xdp_firewall").testRun(run).data()).isEqualTo(udpFrame(53, 4));
    }

    @Test
    void tcVerdictsAreNamed() {
        assertThat(bpf.program("tc_firewall").testRun(TestRun.data(udpFrame(9, 0))).tcAction())
                .isEqualTo(TcAction.TC_ACT_SHOT);
        assertThat(bpf.program("tc_firewall").testRun(TestRun.data(udpFrame(10, 0))).tcAction())
                .isEqualTo(TcAction.TC_ACT_OK);
    }

    @Test
    void socketFilterSeesThePacketLength() {
        // A socket filter's skb starts after the Ethernet header, as on a socket.
        assertThat(bpf.program("socket_half").testRun(TestRun.data(udpFrame(1, 58))).returnValue())
                .isEqualTo((20 + 8 + 58) / 2);
    }

    @Test
    void cgroupSkbSeesTheProtocol() {
        byte[] ipv4 = udpFrame(1, 0);
        byte[] arp = ipv4.clone();
        arp[12] = 0x08;
        arp[13] = 0x06;
        assertThat(bpf.program("cgroup_ipv4_only").testRun(TestRun.data(ipv4)).returnValue()).isEqualTo(1);
        assertThat(bpf.program("cgroup_ipv4_only").testRun(TestRun.data(arp)).returnValue()).isZero();
    }

    @Test
    void flowDissectorReturnsItsFlowKeys() {
        TestRunResult r = bpf.program("dissect").testRun(TestRun.data(udpFrame(1, 8)));
        assertThat(r.returnValue()).as("BPF_OK").isZero();
        ByteBuffer keys = ByteBuffer.wrap(r.data()).order(ByteOrder.nativeOrder());
        assertThat(r.data().length).as("struct bpf_flow_keys").isGreaterThanOrEqualTo(8);
        assertThat(keys.getShort(2)).as("thoff set by the program").isEqualTo((short) 20);
    }

    @Test
    void rawTracepointTakesItsArgumentsAsContext() {
        ByteBuffer args = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putLong(0).putLong(21);
        assertThat(bpf.program("raw_double").testRun(TestRun.context(args.array())).returnValue()).isEqualTo(42);
    }

    @Test
    void aSyscallProgramWritesItsContextBack() {
        ByteBuffer ctx = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putInt(5).putInt(0);
        TestRunResult r = bpf.program("syscall_triple").testRun(TestRun.context(ctx.array()));
        assertThat(r.returnValue()).isEqualTo(6);
        assertThat(ByteBuffer.wrap(r.context()).order(ByteOrder.nativeOrder()).getInt(4)).isEqualTo(15);
    }

    @Test
    void aTypeTheKernelCannotRunIsAnUnavailableFeature() {
        assertThat(KernelFeatures.has(KernelFeature.PROG_TEST_RUN)).isTrue();
        assertThatThrownBy(() -> bpf.program("tracepoint_only").testRun(TestRun.data(udpFrame(1, 0))))
                .isInstanceOfSatisfying(FeatureUnavailableException.class, e -> {
                    assertThat(e.feature()).isEqualTo(KernelFeature.PROG_TEST_RUN);
                    assertThat(e.expected()).as("no kernel test-runs tracepoints").isFalse();
                })
                .hasMessageContaining("BPF_PROG_TYPE_TRACEPOINT");
    }

    private static long dropped() {
        return verdict(1);
    }

    /** xdp_firewall's count of runs that passed (0) or dropped (1) the packet. */
    static long verdict(int which) {
        return verdict(bpf, which);
    }

    static long verdict(LoadedObject object, int which) {
        return ByteBuffer.wrap(object.global("verdicts").bytes()).order(ByteOrder.nativeOrder()).getLong(8 * which);
    }
}
