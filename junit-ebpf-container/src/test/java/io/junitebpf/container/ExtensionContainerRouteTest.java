package io.junitebpf.container;

import io.junitebpf.bpf.Program;
import io.junitebpf.bpf.Usdt;
import io.junitebpf.event.EventStream;
import io.junitebpf.junit.Bpf;
import io.junitebpf.junit.EbpfConfig;
import io.junitebpf.junit.EbpfTest;
import io.junitebpf.junit.Events;
import io.junitebpf.junit.Launch;
import io.junitebpf.target.TargetProcess;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

import java.util.List;
import java.util.Map;

import static io.junitebpf.junit.EbpfAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * The extension's container route end to end: a JVM without BPF privileges
 * (simulated) and a Docker engine runs the same @EbpfTest in a privileged
 * container, with the outcome of each test mapped back and the choice reported.
 */
class ExtensionContainerRouteTest {

    record TaskInfo(long timestampNs, int tgid, int ppid, int uid, String comm, String parentComm) {
    }

    record UsdtEvent(String name, TaskInfo task, long arg1, long arg2, int argCount) {
    }

    @EbpfTest(objects = "bpf/usdt.bpf.o")
    static class RouteTestCases {

        static boolean beforeEachRan;

        @BeforeEach
        void setUp() {
            beforeEachRan = true;
        }

        @Test
        void usdtProbe1SeesTen(@Bpf("func_usdt1") Program probe1, @Launch TargetProcess umark,
                               @Events EventStream<UsdtEvent> events) {
            assertThat(beforeEachRan).as("@BeforeEach ran where the test runs").isTrue();
            probe1.attachUsdt(Usdt.of(umark.executable(), "groupa", "probe1").withPid(umark.pid()));
            umark.release();
            assertThat(events).anySatisfy(e -> assertThat(e.arg1()).isEqualTo(10));
        }

        @Test
        void failsWithAMessage(@Events EventStream<UsdtEvent> events) {
            assertThat(events.size()).as("events before anything attached").isEqualTo(42);
        }
    }

    @Test
    void anUnprivilegedJvmRunsTheSameTestsInAContainer() {
        DockerAvailable.assumeEngine();
        ContainerConfig config = DockerAvailable.config();
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .configurationParameters(Map.of("junit.ebpf.simulate.unprivileged", "true",
                        ContainerConfig.IMAGE_PROPERTY_NAME, config.image().orElse(""),
                        "junit.ebpf.strict", "false"))
                .selectors(selectClass(RouteTestCases.class))
                .execute();

        results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(1).failed(1));
        String failure = results.testEvents().failed().list().getFirst()
                .getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow().getMessage();
        assertThat(failure).contains("events before anything attached", "42");
        List<String> runtimes = results.allEvents().reportingEntryPublished().stream()
                .map(e -> e.getPayload(ReportEntry.class).orElseThrow().getKeyValuePairs())
                .filter(kv -> kv.containsKey(EbpfConfig.RUNTIME_PROPERTY_NAME))
                .map(kv -> kv.get(EbpfConfig.RUNTIME_PROPERTY_NAME)).toList();
        assertThat(runtimes).isNotEmpty().allSatisfy(r -> assertThat(r).startsWith("container: ")
                .contains("no privileges to load BPF"));
    }
}
