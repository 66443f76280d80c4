package com.example.firewall;

import com.example.bpf.FirewallBpf;
import com.example.bpf.FirewallBpf.ProtoKey;
import com.example.bpf.FirewallBpf.ProtoStats;
import io.junitebpf.bpf.Program;
import io.junitebpf.junit.Bpf;
import io.junitebpf.junit.EbpfTest;
import io.junitebpf.map.TypedGlobal;
import io.junitebpf.map.TypedMap;
import io.junitebpf.net.NetworkNamespace;
import io.junitebpf.net.VethPair;
import io.junitebpf.packet.PacketBuilder;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

import static io.junitebpf.junit.EbpfAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The firewall on a real interface: attached to the host end of a veth pair whose other end is in a network
 * namespace made for the test, with traffic sent from inside the namespace.
 */
@EbpfTest(objects = FirewallBpf.OBJECT)
class FirewallLiveTest {

    static final int OPEN = 7000;
    static final int BLOCKED = 7001;
    /** Ethernet + IPv4 + UDP headers: veth frames carry no padding and no FCS. */
    static final int UDP_HEADERS = 14 + 20 + 8;
    /** ping's default echo request: 56 data bytes after the ICMP header. */
    static final int PING_FRAME = 14 + 20 + 8 + 56;

    @Test
    void dropsTheBlockedPortAndCountsWhatArrives(NetworkNamespace ns, @Bpf("xdp_firewall") Program xdp,
                                                 @Bpf("blocked_port") TypedGlobal<Integer> blockedPort,
                                                 @Bpf("protocols") TypedMap<ProtoKey, ProtoStats> protocols)
            throws IOException {
        VethPair veth = ns.veth();              // the peer end is in ns, the host end in this JVM's namespace
        blockedPort.set(BLOCKED);
        xdp.attachXdp(veth.hostName());          // detached when the test's object closes
        try (DatagramSocket open = new DatagramSocket(new InetSocketAddress(veth.hostAddress(), OPEN));
             DatagramSocket blocked = new DatagramSocket(new InetSocketAddress(veth.hostAddress(), BLOCKED))) {
            veth.sendUdpFromPeer(OPEN, bytes("open"));
            veth.sendUdpFromPeer(BLOCKED, bytes("blocked"));
            open.setSoTimeout(2_000);
            assertThat(receive(open)).isEqualTo("open");                        // XDP_PASS: the stack got it
            blocked.setSoTimeout(500);
            assertThatThrownBy(() -> receive(blocked)).isInstanceOf(SocketTimeoutException.class);  // XDP_DROP
        }
        assertThat(veth.pingFromPeer(2)).isEqualTo(2);                          // ICMP passes both ways

        assertThat(protocols)
                .containsEntry(new ProtoKey(PacketBuilder.IPPROTO_UDP),
                        new ProtoStats(2, 2L * UDP_HEADERS + "open".length() + "blocked".length(), 1))
                .containsEntry(new ProtoKey(PacketBuilder.IPPROTO_ICMP), new ProtoStats(2, 2L * PING_FRAME, 0))
                .doesNotContainKey(new ProtoKey(PacketBuilder.IPPROTO_TCP));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static String receive(DatagramSocket socket) throws IOException {
        DatagramPacket packet = new DatagramPacket(new byte[64], 64);
        socket.receive(packet);
        return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.US_ASCII);
    }
}
