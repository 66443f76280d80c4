package io.junitebpf.bpf.testrun;

import io.junitebpf.bpf.BpfException;
import io.junitebpf.bpf.BpfObject;
import io.junitebpf.bpf.Errno;
import io.junitebpf.bpf.LoadedObject;
import io.junitebpf.bpf.Program;
import io.junitebpf.bpf.TcAction;
import io.junitebpf.bpf.TestRun;
import io.junitebpf.bpf.XdpAction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.junitebpf.bpf.testrun.TestRunTest.udpFrame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Inputs a program's type cannot take: each a clear error, before or from the kernel. */
class TestRunBadInputTest {

    private static LoadedObject bpf;

    @BeforeAll
    static void load() {
        bpf = BpfObject.openResource(TestRunTest.RESOURCE).load();
    }

    @AfterAll
    static void close() {
        bpf.close();
    }

    @Test
    void aPacketShorterThanAnEthernetHeader() {
        assertThatThrownBy(() -> bpf.program("xdp_firewall").testRun(TestRun.data(new byte[10])))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("test-run program 'xdp_firewall': packet of 10 bytes is shorter than an Ethernet header"
                        + " (14 bytes)");
    }

    @Test
    void noPacketForAPacketProgram() {
        assertThatThrownBy(() -> bpf.program("tc_firewall").testRun(TestRun.context(new byte[8])))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("BPF_PROG_TYPE_SCHED_CLS program runs on packet data (use TestRun.data");
    }

    @Test
    void aPacketForARawTracepoint() {
        assertThatThrownBy(() -> bpf.program("raw_double").testRun(TestRun.data(udpFrame(1, 0))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("takes no packet data");
    }

    @Test
    void aPacketLargerThanAPageIsRefusedByTheKernelWithWhatItTakes() {
        // (XDP takes it: 6.x kernels spread a large test packet over fragments.)
        assertThatThrownBy(() -> bpf.program("tc_firewall").testRun(TestRun.data(new byte[8000])))
                .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL))
                .hasMessageContaining("skb data must be 14 bytes up to a page");
    }

    @Test
    void aCpuForAnXdpProgram() {
        long passedBefore = TestRunTest.verdict(bpf, 0);
        assertThatThrownBy(() -> bpf.program("xdp_firewall").testRun(TestRun.data(udpFrame(1, 0)).onCpu(0)))
                .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL))
                .hasMessageContaining("flags=[RUN_ON_CPU]").hasMessageContaining("no cpu flag");
        assertThat(TestRunTest.verdict(bpf, 0)).as("runs of a program whose input the kernel refused")
                .isEqualTo(passedBefore);
    }

    @Test
    void anXdpContextThatDoesNotMatchThePacket() {
        assertThatThrownBy(() -> bpf.program("xdp_firewall").testRun(TestRun.data(udpFrame(1, 0))
                .withContext(new byte[] {1, 2, 3})))
                .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL))
                .hasMessageContaining("struct xdp_md");
    }

    @Test
    void aContextLongerThanTheKernelsStruct() {
        byte[] context = new byte[1024];  // struct __sk_buff is far shorter; a non-zero byte beyond it
        context[1000] = 1;
        assertThatThrownBy(() -> bpf.program("tc_firewall").testRun(TestRun.data(udpFrame(1, 0))
                .withContext(context)))
                .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(Errno.E2BIG))
                .hasMessageContaining("context of 1024 bytes is longer than the kernel's context struct of a"
                        + " BPF_PROG_TYPE_SCHED_CLS program").hasMessageContaining("struct __sk_buff");
    }

    @Test
    void badOptions() {
        assertThatThrownBy(() -> TestRun.data(new byte[14]).withRepeat(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("test run: repeat 0 (give 1 or more)");
        assertThatThrownBy(() -> TestRun.data(new byte[14]).withDataSizeOut(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative data size out -1");
        assertThatThrownBy(() -> TestRun.data(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> bpf.program("xdp_firewall").testRun(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void verdictsThatAreNone() {
        assertThatThrownBy(() -> XdpAction.of(7)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("XDP return value 7 is no enum xdp_action value");
        assertThatThrownBy(() -> TcAction.of(99)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TC_ACT_SHOT");
    }

    @Test
    void aProgramNotLoaded() {
        try (BpfObject spec = BpfObject.openResource(TestRunTest.RESOURCE)) {
            spec.program("xdp_grow").autoload(false);
            try (LoadedObject partial = spec.load()) {
                assertThatThrownBy(() -> partial.program("xdp_grow").testRun(TestRun.data(udpFrame(1, 0))))
                        .isInstanceOf(BpfException.class)
                        .hasMessageContaining("test-run program 'xdp_grow': not loaded");
            }
        }
    }

    @Test
    void aClosedObject() {
        Program program;
        try (LoadedObject other = BpfObject.openResource(TestRunTest.RESOURCE).load()) {
            program = other.program("xdp_firewall");
        }
        assertThatThrownBy(() -> program.testRun(TestRun.data(udpFrame(1, 0))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
}
