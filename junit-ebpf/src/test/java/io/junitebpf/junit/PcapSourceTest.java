package io.junitebpf.junit;

import io.junitebpf.bpf.Program;
import io.junitebpf.bpf.TestRun;
import io.junitebpf.bpf.XdpAction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.platform.testkit.engine.EngineExecutionResults;

import java.util.List;
import java.util.Map;

import static io.junitebpf.junit.EbpfAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PcapSource}: a capture's packets as a parameterized test's arguments, each run through
 * xdp_verdicts (UDP to port 9 dropped, TCP sent back, the rest passed); then each wrong capture, through
 * the JUnit engine, failing with what is wrong with it.
 */
class PcapSourceTest {

    @EbpfTest(objects = "bpf-test/xdp_verdicts.bpf.o")
    static class CaptureTestCases {
        @ParameterizedTest
        @PcapSource("pcap/verdicts.pcap")
        void eachCapturedPacketGetsTheVerdictOfItsProtocolAndPort(byte[] packet, @Bpf("xdp_verdicts") Program xdp) {
            int protocol = packet[14 + 9];                                 // IPv4, 20-byte header
            int port = ((packet[14 + 20 + 2] & 0xff) << 8) | (packet[14 + 20 + 3] & 0xff);
            XdpAction expected = protocol == 6 ? XdpAction.XDP_TX
                    : protocol == 17 && port == 9 ? XdpAction.XDP_DROP
                    : XdpAction.XDP_PASS;
            assertThat(xdp.testRun(TestRun.data(packet))).hasVerdict(expected);
        }
    }

    @Test
    void everyPacketOfTheCaptureIsOneInvocationNamedByItsNumberAndLength() {
        EngineExecutionResults results = FailurePathsTest.run(CaptureTestCases.class, Map.of());

        assertThat(FailurePathsTest.failures(results)).isEmpty();
        assertThat(results.testEvents().succeeded().count()).isEqualTo(4);
        assertThat(results.testEvents().succeeded().stream().map(e -> e.getTestDescriptor().getDisplayName()))
                .containsExactly("[1] packet 1 of 4: 46 bytes at 1970-01-01T00:00:00Z",
                        "[2] packet 2 of 4: 50 bytes at 1970-01-01T00:00:00.000001Z",
                        "[3] packet 3 of 4: 54 bytes at 1970-01-01T00:00:00.000002Z",
                        "[4] packet 4 of 4: 42 bytes at 1970-01-01T00:00:00.000003Z");
    }

    static class WrongCaptureTestCases {
        @ParameterizedTest
        @PcapSource("pcap/no-such-capture.pcap")
        void missing(byte[] packet) {
        }

        @ParameterizedTest
        @PcapSource("pcap/not-a-capture.pcap")
        void notACapture(byte[] packet) {
        }

        @ParameterizedTest
        @PcapSource("pcap/empty.pcap")
        void empty(byte[] packet) {
        }

        @ParameterizedTest
        @PcapSource("pcap/raw-ip.pcap")
        void rawIp(byte[] packet) {
        }

        @ParameterizedTest
        @PcapSource(value = "pcap/raw-ip.pcap", anyLinkType = true)
        void rawIpAccepted(byte[] packet) {
            assertThat(packet).hasSize(20); // an IPv4 header, no Ethernet
        }
    }

    @Test
    void aCaptureThatIsMissingNotAPcapEmptyOrNotEthernetFailsSayingWhy() {
        EngineExecutionResults results = FailurePathsTest.run(WrongCaptureTestCases.class, Map.of());
        List<String> failures = FailurePathsTest.failures(results);

        assertThat(failures).hasSize(4);
        assertThat(failures).anySatisfy(m -> assertThat(m).contains("@PcapSource(\"pcap/no-such-capture.pcap\")")
                .contains("no such classpath resource").contains("src/test/resources"));
        assertThat(failures).anySatisfy(m -> assertThat(m).contains("read pcap pcap/not-a-capture.pcap")
                .contains("not a pcap file"));
        assertThat(failures).anySatisfy(m -> assertThat(m).contains("@PcapSource(\"pcap/empty.pcap\")")
                .contains("holds no packet"));
        assertThat(failures).anySatisfy(m -> assertThat(m).contains("@PcapSource(\"pcap/raw-ip.pcap\")")
                .contains("link type 101, not Ethernet").contains("anyLinkType = true"));
        assertThat(results.testEvents().succeeded().count()).as("rawIpAccepted").isEqualTo(1);
    }
}
