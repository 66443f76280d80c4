package io.junitebpf.container;

import io.junitebpf.junit.EbpfConfig;
import io.junitebpf.junit.EbpfTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.TestReporter;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Through the extension, as a user's run: two test classes sent to containers share one container and one serving
 * JVM, a test class's statics are shared by its methods as in-process, and the container is gone when the run ends
 * (the extension closes the runtime from the root store).
 */
class ContainerPerRunTest {

    @EbpfTest
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class FirstClassTestCases {
        static final String CLASS = "first";
        static int runs;

        @Test
        @Order(1)
        void first(TestReporter reporter) {
            report(reporter, "runs of " + CLASS, ++runs);
        }

        @Test
        @Order(2)
        void second(TestReporter reporter) {
            report(reporter, "runs of " + CLASS, ++runs);
        }
    }

    @EbpfTest
    static class SecondClassTestCases {
        static final String CLASS = "second";
        static int runs;

        @Test
        void only(TestReporter reporter) {
            report(reporter, "runs of " + CLASS, ++runs);
        }
    }

    static void report(TestReporter reporter, String key, int runs) {
        reporter.publishEntry(key, Integer.toString(runs));
        reporter.publishEntry("jvm", Long.toString(ProcessHandle.current().pid()));
    }

    @Test
    void twoClassesShareOneContainerAndJvmWhichGoAtTheEndOfTheRun() {
        DockerAvailable.assumeEngine();
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .configurationParameters(Map.of("junit.ebpf.simulate.unprivileged", "true",
                        ContainerConfig.IMAGE_PROPERTY_NAME, DockerAvailable.config().image().orElse(""),
                        "junit.ebpf.runtime", "container", "junit.ebpf.strict", "false"))
                .selectors(selectClass(FirstClassTestCases.class), selectClass(SecondClassTestCases.class))
                .execute();

        results.testEvents().assertStatistics(stats -> stats.started(3).succeeded(3));
        List<Map<String, String>> entries = results.allEvents().reportingEntryPublished().stream()
                .map(e -> e.getPayload(ReportEntry.class).orElseThrow().getKeyValuePairs()).toList();
        assertThat(values(entries, "runs of first")).as("a static counted by the methods of one class")
                .containsExactly("1", "2");
        assertThat(values(entries, "runs of second")).containsExactly("1");
        assertThat(Set.copyOf(values(entries, "jvm"))).as("the serving JVMs").hasSize(1);
        Set<String> containers = values(entries, "junit.ebpf.remote").stream()
                .map(where -> where.split(" ")[1]).collect(Collectors.toSet());
        assertThat(containers).as("the containers that ran the tests").hasSize(1);
        assertThat(DockerEngine.client().listContainersCmd().withShowAll(true)
                .withIdFilter(List.copyOf(containers)).exec()).as("the run's container after the run").isEmpty();
    }

    @Test
    void aClosedProviderRefusesANewClassAndSaysWhy() {
        ContainerRuntimeProvider provider = new ContainerRuntimeProvider();
        provider.close();

        assertThatThrownBy(() -> provider.open("SomeTest", EbpfConfig.system()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("container runtime: open SomeTest: the provider is closed (the run ended)");
    }

    private static List<String> values(List<Map<String, String>> entries, String key) {
        return entries.stream().filter(e -> e.containsKey(key)).map(e -> e.get(key)).toList();
    }
}
