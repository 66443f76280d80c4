package io.junitebpf.junit.guide;

import io.junitebpf.bpf.BpfMap;
import io.junitebpf.bpf.Program;
import io.junitebpf.bpf.TcAttachPoint;
import io.junitebpf.junit.Bpf;
import io.junitebpf.junit.EbpfTest;
import io.junitebpf.net.NetworkNamespace;
import io.junitebpf.net.VethPair;
import org.junit.jupiter.api.Test;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

import static io.junitebpf.junit.guide.PortCounts.count;
import static io.junitebpf.junit.guide.PortCounts.receive;
import static io.junitebpf.junit.guide.PortCounts.u32;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

// guide:networking
@EbpfTest(objects = "bpf/net_count.bpf.o")
class NetworkGuideTest {

    static final int PORT = 7777;

    @Test
    void xdpCountsAndDropsWhatThePeerSends(NetworkNamespace ns, @Bpf("xdp_count") Program xdp,
                                           @Bpf("xdp_udp_packets") BpfMap packets,
                                           @Bpf("drop_ports") BpfMap dropPorts) throws Exception {
        VethPair veth = ns.veth();              // one end in the test's own namespace, one in this JVM's
        xdp.attachXdp(veth.hostName());          // detached when the test's object closes
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(veth.hostAddress(), PORT))) {
            socket.setSoTimeout(2_000);
            veth.sendUdpFromPeer(PORT, "hello".getBytes(StandardCharsets.US_ASCII));
            assertThat(receive(socket)).isEqualTo("hello");          // XDP_PASS: the host stack got it
            assertThat(count(packets, PORT)).isEqualTo(1);

            dropPorts.update(u32(PORT), u32(1));
            veth.sendUdpFromPeer(PORT, "dropped".getBytes(StandardCharsets.US_ASCII));
            socket.setSoTimeout(500);
            assertThatThrownBy(() -> receive(socket)).isInstanceOf(SocketTimeoutException.class);  // XDP_DROP
            assertThat(count(packets, PORT)).isEqualTo(2);
        }
    }

    @Test
    void tcSeesBothDirections(NetworkNamespace ns, @Bpf("tc_ingress_count") Program ingress,
                              @Bpf("tc_egress_count") Program egress,
                              @Bpf("tc_ingress_udp_packets") BpfMap in, @Bpf("tc_egress_udp_packets") BpfMap out) {
        VethPair veth = ns.veth();
        ingress.attachTc(veth.hostName(), TcAttachPoint.INGRESS);  // creates the clsact qdisc, gone after the test
        egress.attachTc(veth.hostIndex(), TcAttachPoint.EGRESS);
        veth.sendUdpFromPeer(PORT, new byte[] {1, 2, 3});           // peer -> host: ingress of the host end
        veth.sendUdpToPeer(PORT + 1, new byte[] {4, 5, 6});          // host -> peer: egress of the host end
        assertThat(count(in, PORT)).isEqualTo(1);
        assertThat(count(out, PORT + 1)).isEqualTo(1);
        assertThat(count(in, PORT + 1)).isZero();
    }
}
// end:networking
