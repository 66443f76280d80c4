package io.junitebpf.container;

import io.junitebpf.bpf.Program;
import io.junitebpf.junit.Bpf;
import io.junitebpf.junit.EbpfTest;
import io.junitebpf.map.TypedMap;
import io.junitebpf.net.NetworkNamespace;
import io.junitebpf.net.VethPair;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static io.junitebpf.junit.EbpfAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * A networking test runs in the container runtime as it runs in this JVM: the container gets CAP_NET_ADMIN and its
 * image has iproute2, so the test's own network namespace, its veth pair and an XDP program on it work there.
 */
class NetworkInContainerTest {

    static final int PORT = 7779;

    @EbpfTest(objects = "bpf/net_count.bpf.o")
    static class NetworkTestCases {

        @Test
        void xdpCountsWhatThePeerSends(NetworkNamespace ns, @Bpf("xdp_count") Program xdp,
                                       @Bpf("xdp_udp_packets") TypedMap<Integer, Long> packets) {
            VethPair veth = ns.veth();
            xdp.attachXdp(veth.hostName());
            veth.sendUdpFromPeer(PORT, "hello".getBytes(StandardCharsets.US_ASCII));
            veth.sendUdpFromPeer(PORT, "again".getBytes(StandardCharsets.US_ASCII));
            assertThat(packets).containsEntry(PORT, 2L);
        }
    }

    @Test
    void anUnprivilegedJvmRunsANetworkingTestInAContainer() {
        DockerAvailable.assumeEngine();
        ContainerConfig config = DockerAvailable.config();
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .configurationParameters(Map.of("junit.ebpf.simulate.unprivileged", "true",
                        ContainerConfig.IMAGE_PROPERTY_NAME, config.image().orElse("")))
                .selectors(selectClass(NetworkTestCases.class))
                .execute();

        results.testEvents().failed().list().forEach(e -> e.getPayload(
                org.junit.platform.engine.TestExecutionResult.class).flatMap(r -> r.getThrowable())
                .ifPresent(Throwable::printStackTrace));
        results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
        assertThat(results.allEvents().reportingEntryPublished().stream()
                .map(e -> e.getPayload(org.junit.platform.engine.reporting.ReportEntry.class).orElseThrow()
                        .getKeyValuePairs().toString()))
                .anySatisfy(entry -> assertThat(entry).contains("container"));
    }
}
