package io.junitebpf.junit;

import io.junitebpf.bpf.Program;
import io.junitebpf.bpf.TcAction;
import io.junitebpf.bpf.TestRun;
import io.junitebpf.bpf.TestRunResult;
import io.junitebpf.bpf.XdpAction;
import io.junitebpf.packet.PacketBuilder;
import org.junit.jupiter.api.Test;

import static io.junitebpf.junit.EbpfAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** assertThat(TestRunResult): verdicts by name and output packets field by field, on a real XDP program. */
@EbpfTest(objects = "bpf-test/xdp_verdicts.bpf.o")
class TestRunAssertionsTest {

    static final String A = "02:00:00:00:00:01";
    static final String B = "02:00:00:00:00:02";

    static PacketBuilder from(String source, String destination) {
        return PacketBuilder.ethernet(source, destination).ipv4("10.0.0.1", "10.0.0.2");
    }

    @Test
    void verdictsAreNamed(@Bpf("xdp_verdicts") Program xdp) {
        assertThat(xdp.testRun(TestRun.data(from(A, B).udp(40000, 9).build()))).hasVerdict(XdpAction.XDP_DROP);
        assertThat(xdp.testRun(TestRun.data(from(A, B).udp(40000, 53).build()))).hasVerdict(XdpAction.XDP_PASS);
        assertThat(xdp.testRun(TestRun.data(from(A, B).tcp(40000, 80).build()))).hasVerdict(XdpAction.XDP_TX);
    }

    @Test
    void aWrongVerdictNamesBoth(@Bpf("xdp_verdicts") Program xdp) {
        TestRunResult passed = xdp.testRun(TestRun.data(from(A, B).udp(40000, 53).build()));
        assertThatThrownBy(() -> assertThat(passed).hasVerdict(XdpAction.XDP_DROP))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting XDP verdict XDP_DROP but was XDP_PASS (2)");
        assertThatThrownBy(() -> assertThat(passed).hasVerdict(TcAction.TC_ACT_OK))   // 2 read as a tc verdict
                .hasMessageContaining("Expecting tc verdict TC_ACT_OK but was TC_ACT_SHOT (2)");
        TestRunResult odd = new TestRunResult(7, new byte[0], new byte[0], 0);
        assertThatThrownBy(() -> assertThat(odd).hasVerdict(XdpAction.XDP_PASS))
                .hasMessageContaining("Expecting XDP verdict XDP_PASS but was 7 (no XDP action)");
        assertThatThrownBy(() -> assertThat(passed).hasVerdict(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("verdict");
    }

    @Test
    void outputPacketsAreComparedFieldByField(@Bpf("xdp_verdicts") Program xdp) {
        TestRunResult reflected = xdp.testRun(TestRun.data(from(A, B).tcp(40000, 80).build()));
        assertThat(reflected).hasVerdict(XdpAction.XDP_TX).hasOutputPacket(from(B, A).tcp(40000, 80));

        assertThatThrownBy(() -> assertThat(reflected).hasOutputPacket(from(A, B).tcp(40000, 80)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting the output packet (54 bytes) to equal the expected one (54 bytes)")
                .hasMessageContaining("eth.src: expected 02:00:00:00:00:01 but was 02:00:00:00:00:02")
                .hasMessageContaining("eth.dst: expected 02:00:00:00:00:02 but was 02:00:00:00:00:01")
                .hasMessageContaining("expected:\n0000  02 00 00 00 00 02 02 00 00 00 00 01 08 00  eth")
                .hasMessageContaining("but was:\n0000  02 00 00 00 00 01 02 00 00 00 00 02 08 00  eth");
        assertThatThrownBy(() -> assertThat(reflected).hasOutputData(new byte[] {1, 2, 3}))
                .hasMessageContaining("(54 bytes) to equal the expected one (3 bytes)");
        assertThatThrownBy(() -> assertThat(reflected).hasOutputData(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("expected");
    }
}
