package io.junitebpf.net;

import io.junitebpf.bpf.Program;
import io.junitebpf.bpf.TcAttachPoint;
import io.junitebpf.junit.Bpf;
import io.junitebpf.junit.EbpfTest;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * NetworkNamespace on its own (made, used, gone), its bad input, and what the
 * extension does with it: one per parameter, deleted after the test with its
 * veth and qdiscs, and strict mode's report of one a test forgot.
 */
class NetworkNamespaceTest {

    @Test
    void aNamespaceWithAVethPairThatCarriesTraffic() throws Exception {
        NetworkNamespace ns = NetworkNamespace.create();
        try {
            VethPair veth = ns.veth();
            assertThat(run("ip", "netns", "list")).contains(ns.name());
            assertThat(veth.hostIndex()).isPositive();
            assertThat(veth.peerIndex()).isPositive();
            assertThat(ns.exec("ip", "-o", "addr", "show", "dev", veth.peerName()))
                    .contains(veth.peerAddress().getHostAddress() + "/30");
            assertThat(veth.hostAddress().getAddress()[0]).isEqualTo((byte) 10);

            // ns -> host, byte-exact: every byte value survives the shell
            byte[] all = new byte[256];
            for (int i = 0; i < all.length; i++) {
                all[i] = (byte) i;
            }
            try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(veth.hostAddress(), 0))) {
                socket.setSoTimeout(3_000);
                veth.sendUdpFromPeer(socket.getLocalPort(), all);
                DatagramPacket packet = new DatagramPacket(new byte[1500], 1500);
                socket.receive(packet);
                assertThat(java.util.Arrays.copyOf(packet.getData(), packet.getLength())).isEqualTo(all);
            }
            // TCP ns -> host
            try (ServerSocket server = new ServerSocket()) {
                server.bind(new InetSocketAddress(veth.hostAddress(), 0));
                server.setSoTimeout(3_000);
                veth.sendTcpFromPeer(server.getLocalPort(), "over tcp".getBytes(StandardCharsets.US_ASCII));
                try (Socket client = server.accept(); InputStream in = client.getInputStream()) {
                    assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("over tcp");
                }
            }
            assertThat(veth.pingFromPeer(2)).isEqualTo(2);
        } finally {
            ns.close();
        }
        assertThat(ns.exists()).isFalse();
        assertThat(run("ip", "netns", "list")).doesNotContain(ns.name());
        assertThat(run("ip", "link", "show")).doesNotContain(ns.veth().hostName());
        ns.close(); // idempotent
    }

    @Test
    void parallelNamespacesDoNotCollide() throws Exception {
        List<NetworkNamespace> made = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            threads.add(Thread.ofPlatform().start(() -> made.add(NetworkNamespace.create())));
        }
        for (Thread t : threads) {
            t.join();
        }
        try {
            assertThat(made).hasSize(4);
            assertThat(made.stream().map(NetworkNamespace::name).distinct()).hasSize(4);
            assertThat(made.stream().map(n -> n.veth().hostAddress()).distinct()).hasSize(4);
        } finally {
            made.forEach(NetworkNamespace::close);
        }
    }

    @Test
    void badInputIsNamed() {
        NetworkNamespace ns = NetworkNamespace.create();
        try {
            VethPair veth = ns.veth();
            assertThatThrownBy(() -> veth.sendUdpFromPeer(0, new byte[1]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port must be 1 to 65535, was 0");
            assertThatThrownBy(() -> veth.sendUdpToPeer(70_000, new byte[1]))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> veth.pingFromPeer(0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(ns::exec).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("empty command");
            assertThatThrownBy(() -> ns.exec("false")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("exec false in network namespace " + ns.name())
                    .hasMessageContaining("exited with 1");
            // nothing listens: the peer's connect is refused, and says so
            assertThatThrownBy(() -> veth.sendTcpFromPeer(9, new byte[1])).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("send TCP from " + ns.name() + " to " + veth.hostAddress().getHostAddress()
                            + ":9").hasMessageContaining("refused");
            assertThatThrownBy(() -> IpCommand.tool("no-such-tool-here")).hasMessageContaining("install the Debian "
                    + "package no-such-tool-here");
        } finally {
            ns.close();
        }
        assertThatThrownBy(() -> ns.veth().hostIndex()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no longer exists");
    }

    // ---- through the extension ----------------------------------------------------------------

    /** What the nested test cases saw, one list each: the two tests that run them may run in parallel. */
    static final List<String> SEEN = new CopyOnWriteArrayList<>();
    static final List<String> FORGOTTEN = new CopyOnWriteArrayList<>();

    @EbpfTest(objects = "bpf/net_count.bpf.o")
    static class InjectedTestCases {
        @Test
        void attachesEverything(NetworkNamespace ns, @Bpf("xdp_count") Program xdp,
                                @Bpf("tc_ingress_count") Program ingress, @Bpf("tc_egress_count") Program egress) {
            xdp.attachXdp(ns.veth().hostName());
            ingress.attachTc(ns.veth().hostName(), TcAttachPoint.INGRESS);
            egress.attachTc(ns.veth().hostName(), TcAttachPoint.EGRESS);
            assertThat(run("tc", "qdisc", "show", "dev", ns.veth().hostName())).contains("clsact");
            SEEN.add(ns.name());
            SEEN.add(ns.veth().hostName());
        }
    }

    @Test
    void theExtensionDeletesTheNamespaceItsVethAndQdiscAfterTheTest() {
        SEEN.clear();
        EngineExecutionResults results = run(InjectedTestCases.class);
        assertThat(results.testEvents().failed().count()).isZero();
        assertThat(results.testEvents().succeeded().count()).isOne();
        assertThat(SEEN).hasSize(2);
        assertThat(run("ip", "netns", "list")).doesNotContain(SEEN.get(0));
        assertThat(run("ip", "link", "show")).doesNotContain(SEEN.get(1));
        assertThatThrownBy(() -> run("tc", "qdisc", "show", "dev", SEEN.get(1)))
                .hasMessageContaining("Cannot find device");
    }

    @EbpfTest(objects = "bpf/net_count.bpf.o")
    static class ForgottenTestCases {
        @Test
        void forgets() {
            FORGOTTEN.add(NetworkNamespace.create().name());
        }
    }

    @Test
    void strictModeReportsANamespaceATestForgot() {
        FORGOTTEN.clear();
        EngineExecutionResults results = run(ForgottenTestCases.class);
        assertThat(results.testEvents().failed().count()).isOne();
        String message = results.testEvents().failed().stream().findFirst().orElseThrow()
                .getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow().getMessage();
        assertThat(message).contains("strict mode",
                "network namespace " + FORGOTTEN.getFirst() + " was never closed");
        assertThat(run("ip", "netns", "list")).doesNotContain(FORGOTTEN.getFirst());
    }

    private static EngineExecutionResults run(Class<?> testCases) {
        return EngineTestKit.engine("junit-jupiter").configurationParameters(Map.of("junit.ebpf.strict", "true"))
                .selectors(selectClass(testCases)).execute();
    }

    static String run(String... command) {
        return IpCommand.run("test", List.of(command));
    }
}
