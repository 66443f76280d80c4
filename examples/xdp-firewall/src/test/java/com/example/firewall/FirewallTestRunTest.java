package com.example.firewall;

import com.example.bpf.FirewallBpf;
import com.example.bpf.FirewallBpf.ProtoKey;
import com.example.bpf.FirewallBpf.ProtoStats;
import io.junitebpf.bpf.Program;
import io.junitebpf.bpf.TestRun;
import io.junitebpf.bpf.XdpAction;
import io.junitebpf.junit.Bpf;
import io.junitebpf.junit.EbpfTest;
import io.junitebpf.junit.PcapSource;
import io.junitebpf.map.TypedGlobal;
import io.junitebpf.map.TypedMap;
import io.junitebpf.packet.PacketBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static io.junitebpf.junit.EbpfAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

/** The firewall run on built packets through BPF_PROG_TEST_RUN: no interface, no traffic, a fresh object per test. */
@EbpfTest(objects = FirewallBpf.OBJECT)                 // "firewall.bpf.o", compiled by junit-ebpf-maven-plugin
class FirewallTestRunTest {

    static final ProtoKey ICMP = new ProtoKey(PacketBuilder.IPPROTO_ICMP);
    static final ProtoKey TCP = new ProtoKey(PacketBuilder.IPPROTO_TCP);
    static final ProtoKey UDP = new ProtoKey(PacketBuilder.IPPROTO_UDP);

    static PacketBuilder ipv4() {
        return PacketBuilder.ethernet("02:00:00:00:00:01", "02:00:00:00:00:02").ipv4("192.0.2.1", "192.0.2.2");
    }

    static Stream<Arguments> packets() {
        return Stream.of(
                argumentSet("UDP to the blocked port 53", ipv4().udp(40000, 53), XdpAction.XDP_DROP),
                argumentSet("UDP to 123", ipv4().udp(40000, 123), XdpAction.XDP_PASS),
                argumentSet("UDP from 53", ipv4().udp(53, 40000), XdpAction.XDP_PASS),
                argumentSet("TCP to 53", ipv4().tcp(40000, 53), XdpAction.XDP_PASS),
                argumentSet("ICMP echo", ipv4().icmp(8, 0, 0), XdpAction.XDP_PASS),
                argumentSet("IPv6 UDP to 53: not IPv4, not filtered", PacketBuilder
                        .ethernet("02:00:00:00:00:01", "02:00:00:00:00:02").ipv6("2001:db8::1", "2001:db8::2")
                        .udp(40000, 53), XdpAction.XDP_PASS));
    }

    @ParameterizedTest
    @MethodSource("packets")
    void eachPacketGetsItsVerdict(PacketBuilder packet, XdpAction verdict, @Bpf("xdp_firewall") Program xdp) {
        byte[] frame = packet.build();
        assertThat(xdp.testRun(TestRun.data(frame))).hasVerdict(verdict).hasOutputData(frame);
    }

    /** A capture kept with the tests (src/test/resources/pcap/mixed.pcap): one invocation per packet. */
    @ParameterizedTest
    @PcapSource("pcap/mixed.pcap")
    void ofACapturedMixOnlyUdpToTheBlockedPortIsDropped(byte[] frame, @Bpf("xdp_firewall") Program xdp) {
        boolean udp = frame[14 + 9] == PacketBuilder.IPPROTO_UDP;           // IPv4 with a 20-byte header
        int destinationPort = ((frame[14 + 20 + 2] & 0xff) << 8) | (frame[14 + 20 + 3] & 0xff);
        assertThat(xdp.testRun(TestRun.data(frame)))
                .hasVerdict(udp && destinationPort == 53 ? XdpAction.XDP_DROP : XdpAction.XDP_PASS);
    }

    @Test
    void countsEveryIpv4PacketPerProtocol(@Bpf("xdp_firewall") Program xdp,
                                          @Bpf("protocols") TypedMap<ProtoKey, ProtoStats> protocols) {
        byte[] dns = ipv4().udp(40000, 53).build();
        byte[] ntp = ipv4().udp(40000, 123).build();
        byte[] web = ipv4().tcp(40000, 443).build();
        byte[] ping = ipv4().icmp(8, 0, 0).build();
        xdp.testRun(TestRun.data(dns).withRepeat(3));          // the program runs 3 times on the packet
        xdp.testRun(TestRun.data(ntp));
        xdp.testRun(TestRun.data(web).withRepeat(2));
        xdp.testRun(TestRun.data(ping));

        assertThat(protocols).hasSize(3)
                .containsEntry(UDP, new ProtoStats(4, 3L * dns.length + ntp.length, 3))
                .containsEntry(TCP, new ProtoStats(2, 2L * web.length, 0))
                .containsEntry(ICMP, new ProtoStats(1, ping.length, 0));
    }

    @Test
    void theBlockedPortIsAGlobal(@Bpf("xdp_firewall") Program xdp, @Bpf("blocked_port") TypedGlobal<Integer> port) {
        assertThat(port.get()).isEqualTo(53);
        port.set(123);                                          // .data: the loaded program sees it at once
        assertThat(xdp.testRun(TestRun.data(ipv4().udp(40000, 53).build()))).hasVerdict(XdpAction.XDP_PASS);
        assertThat(xdp.testRun(TestRun.data(ipv4().udp(40000, 123).build()))).hasVerdict(XdpAction.XDP_DROP);
        port.set(0);                                            // blocks nothing
        assertThat(xdp.testRun(TestRun.data(ipv4().udp(40000, 0).build()))).hasVerdict(XdpAction.XDP_PASS);
    }
}
