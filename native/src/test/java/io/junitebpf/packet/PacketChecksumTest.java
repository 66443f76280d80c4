package io.junitebpf.packet;

import io.junitebpf.bpf.BpfObject;
import io.junitebpf.bpf.LoadedObject;
import io.junitebpf.bpf.TestRun;
import io.junitebpf.bpf.TestRunResult;
import io.junitebpf.bpf.XdpAction;
import io.junitebpf.packet.PacketBuilder.TcpFlag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Built packets' checksums, as the kernel sees them: csum_check.bpf.c sums
 * each with the kernel's csum_partial (bpf_csum_diff) under BPF_PROG_TEST_RUN
 * and passes the packet only when every checksum is right.
 */
class PacketChecksumTest {

    private static final PacketBuilder ETH = PacketBuilder.ethernet("02:00:00:00:00:01", "02:00:00:00:00:02");
    private static LoadedObject bpf;

    @BeforeAll
    static void load() {
        bpf = BpfObject.openResource("bpf-test/csum_check.bpf.o").load();
    }

    @AfterAll
    static void close() {
        bpf.close();
    }

    record Case(String name, int protocol, byte[] frame) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> packets() {
        PacketBuilder v4 = ETH.ipv4("10.0.0.1", "192.168.77.200");
        PacketBuilder v6 = ETH.ipv6("fd00::1", "2001:db8:85a3::8a2e:370:7334");
        Stream<Case> udpLengths = IntStream.of(0, 1, 2, 3, 5, 64, 401).mapToObj(n -> new Case("IPv4/UDP " + n
                + " bytes", 17, v4.udp(40000, 53).payload(bytes(n)).build()));
        return Stream.concat(udpLengths, Stream.of(
                new Case("IPv4/TCP SYN", 6, v4.tcp(40000, 443, TcpFlag.SYN).sequence(0xfffffff0L).build()),
                new Case("IPv4/TCP PSH ACK odd payload", 6, v4.tcp(1, 65535, TcpFlag.PSH, TcpFlag.ACK)
                        .payload(bytes(33)).build()),
                new Case("IPv4/ICMP echo", 1, v4.icmp(8, 0, 0x12340001).payload(bytes(56)).build()),
                new Case("IPv6/UDP", 17, v6.udp(5353, 5353).payload(bytes(13)).build()),
                new Case("IPv6/TCP", 6, v6.tcp(40000, 80, TcpFlag.SYN).build()),
                new Case("IPv6/ICMPv6 echo", 58, v6.icmp(128, 0, 0x00010002).payload(bytes(7)).build()),
                new Case("VLAN IPv4/UDP", 17, ETH.vlan(100).ipv4("10.1.1.1", "10.1.1.2").udp(1, 2)
                        .payload(bytes(9)).build()),
                new Case("QinQ IPv6/UDP", 17, ETH.vlan(10, 3).vlan(4095).ipv6("::1", "fe80::1").ttl(1).udp(7, 7)
                        .build())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("packets")
    void theKernelFindsEveryChecksumRight(Case packet) {
        TestRunResult r = bpf.program("csum_check").testRun(TestRun.data(packet.frame()));
        assertThat(r.xdpAction()).as("%s: %s", packet.name(), r).isEqualTo(XdpAction.XDP_PASS);
        assertThat(bpf.global("l4_protocol").getInt()).isEqualTo(packet.protocol());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("packets")
    void oneFlippedBitInTheSegmentIsCaught(Case packet) {
        byte[] corrupt = packet.frame().clone();
        corrupt[corrupt.length - 1] ^= 0x01; // the last byte: payload, or a header field when there is none
        TestRunResult r = bpf.program("csum_check").testRun(TestRun.data(corrupt));
        assertThat(r.xdpAction()).as(packet.name()).isEqualTo(XdpAction.XDP_DROP);
        assertThat(bpf.global("l4_ok").getInt()).isZero();
    }

    @Test
    void aChangedIpv4HeaderFailsItsChecksum() {
        byte[] frame = ETH.ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).build();
        frame[14 + 8]--; // TTL, as a router would lower it without fixing the checksum
        assertThat(bpf.program("csum_check").testRun(TestRun.data(frame)).xdpAction()).isEqualTo(XdpAction.XDP_DROP);
        assertThat(bpf.global("ip_ok").getInt()).isZero();
        assertThat(bpf.global("l4_ok").getInt()).as("the TTL is outside the pseudo header").isOne();
    }

    @Test
    void theRfc1071ExampleSumsAsTheRfcSays() {
        byte[] rfc = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7};
        assertThat(Checksums.sum(rfc, 0, rfc.length, 0) % 0xffff).isEqualTo(0xddf2 % 0xffff);
        assertThat(Checksums.internet(rfc, 0, rfc.length)).isEqualTo(~0xddf2 & 0xffff);
    }

    static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 37 + 11);
        }
        return b;
    }
}
