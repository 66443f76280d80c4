package io.junitebpf.junit.guide;

import io.junitebpf.bpf.Program;
import io.junitebpf.bpf.TestRun;
import io.junitebpf.bpf.XdpAction;
import io.junitebpf.junit.Bpf;
import io.junitebpf.junit.EbpfTest;
import io.junitebpf.packet.PacketBuilder;
import io.junitebpf.packet.PacketFields;
import io.junitebpf.packet.PcapFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static io.junitebpf.junit.EbpfAssertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

// guide:test-runs
@EbpfTest(objects = "bpf-test/xdp_verdicts.bpf.o")
class TestRunGuideTest {

    static PacketBuilder v4() {
        return PacketBuilder.ethernet("02:00:00:00:00:01", "02:00:00:00:00:02").ipv4("10.0.0.1", "10.0.0.2");
    }

    static Stream<Arguments> packets() {
        return Stream.of(
                argumentSet("UDP to the discard port", v4().udp(40000, 9), XdpAction.XDP_DROP),
                argumentSet("UDP to DNS", v4().udp(40000, 53), XdpAction.XDP_PASS),
                argumentSet("TCP, sent back", v4().tcp(40000, 80), XdpAction.XDP_TX),
                argumentSet("ICMP echo", v4().icmp(8, 0, 0), XdpAction.XDP_PASS),
                argumentSet("IPv6 UDP to 9", PacketBuilder.ethernet("02:00:00:00:00:01", "02:00:00:00:00:02")
                        .ipv6("fd00::1", "fd00::2").udp(40000, 9), XdpAction.XDP_PASS),
                argumentSet("VLAN-tagged UDP to 9", PacketBuilder.ethernet("02:00:00:00:00:01", "02:00:00:00:00:02")
                        .vlan(10).ipv4("10.0.0.1", "10.0.0.2").udp(40000, 9), XdpAction.XDP_PASS));
    }

    @ParameterizedTest
    @MethodSource("packets")
    void eachPacketGetsItsVerdict(PacketBuilder packet, XdpAction verdict, @Bpf("xdp_verdicts") Program xdp) {
        assertThat(xdp.testRun(TestRun.data(packet.build()))).hasVerdict(verdict);
    }

    @TempDir
    static Path dir;

    @BeforeAll
    static void writeCapture() {        // a real suite would keep a `tcpdump -w` capture in src/test/resources
        PcapFile.ofEthernet(IntStream.range(0, 64).mapToObj(port -> v4().udp(40000, port).build()).toList())
                .write(dir.resolve("udp.pcap"));
    }

    static Stream<byte[]> captured() {
        return PcapFile.read(dir.resolve("udp.pcap")).packets().stream();
    }

    @ParameterizedTest(name = "packet {index}")
    @MethodSource("captured")
    void onlyTheDiscardPortIsDropped(byte[] frame, @Bpf("xdp_verdicts") Program xdp) {
        String port = PacketFields.of(frame).fields().stream().filter(f -> f.name().equals("udp.dst_port"))
                .findFirst().orElseThrow().value();
        assertThat(xdp.testRun(TestRun.data(frame)))
                .hasVerdict(port.equals("9") ? XdpAction.XDP_DROP : XdpAction.XDP_PASS)
                .hasOutputData(frame);                                   // XDP_PASS/DROP leave it untouched
    }
}
// end:test-runs
