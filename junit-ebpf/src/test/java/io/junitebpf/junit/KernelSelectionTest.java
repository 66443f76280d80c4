package io.junitebpf.junit;

import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * {@value EbpfConfig#KERNEL_PROPERTY_NAME} and {@link EbpfTest#kernel()} send a class to the VM runtime. This
 * module's test class path has none (it is io.junitebpf:junit-ebpf-vm), so the extension must name the artifact.
 */
class KernelSelectionTest {

    private static final String ARTIFACT = "io.junitebpf:junit-ebpf-vm";

    @EbpfTest(runtime = EbpfTest.Runtime.IN_PROCESS)
    static class AnyKernelTestCases {
        @Test
        void runs() {
        }
    }

    @EbpfTest(runtime = EbpfTest.Runtime.IN_PROCESS, kernel = "6.12")
    static class PinnedTestCases {
        @Test
        void runs() {
        }
    }

    @Test
    void aKernelWithoutTheVmArtifactFailsTheClassNamingIt() {
        EngineExecutionResults results = run(AnyKernelTestCases.class, Map.of(EbpfConfig.KERNEL_PROPERTY_NAME, "6.1"));

        assertThat(classFailure(results)).contains("junit.ebpf.kernel=6.1 but the tests cannot run on that kernel",
                "no vm runtime on the test class path (add the test dependency " + ARTIFACT + ")");
    }

    @Test
    void theAnnotationPicksAKernelAndThePropertyBeatsIt() {
        assertThat(classFailure(run(PinnedTestCases.class, Map.of()))).contains("junit.ebpf.kernel=6.12", ARTIFACT);

        EngineExecutionResults here = run(PinnedTestCases.class, Map.of(EbpfConfig.KERNEL_PROPERTY_NAME, "host"));
        here.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
        assertThat(runtimes(here)).isNotEmpty().allSatisfy(r -> assertThat(r).startsWith("in-process: "));
    }

    @Test
    void decisions() {
        RuntimeDecision vm = RuntimeDecision.onKernel("5.10", name -> {
            assertThat(name).isEqualTo("vm");
            return Optional.empty();
        });
        assertThat(vm.choice()).isEqualTo(RuntimeDecision.Choice.REMOTE);
        assertThat(vm.describe()).isEqualTo("vm: junit.ebpf.kernel=5.10");
        RuntimeDecision fail = RuntimeDecision.onKernel("5.10", name -> Optional.of("no BTF"));
        assertThat(fail.choice()).isEqualTo(RuntimeDecision.Choice.FAIL);
        assertThat(fail.reason()).isEqualTo("junit.ebpf.kernel=5.10 but the tests cannot run on that kernel: no BTF");
    }

    private static EngineExecutionResults run(Class<?> testClass, Map<String, String> parameters) {
        return EngineTestKit.engine("junit-jupiter").configurationParameters(parameters)
                .selectors(selectClass(testClass)).execute();
    }

    private static String classFailure(EngineExecutionResults results) {
        results.testEvents().assertStatistics(stats -> stats.started(0));
        return results.containerEvents().failed().list().getFirst().getRequiredPayload(TestExecutionResult.class)
                .getThrowable().orElseThrow().getMessage();
    }

    private static List<String> runtimes(EngineExecutionResults results) {
        return results.allEvents().reportingEntryPublished().stream()
                .map(e -> e.getPayload(ReportEntry.class).orElseThrow().getKeyValuePairs())
                .filter(kv -> kv.containsKey(EbpfConfig.RUNTIME_PROPERTY_NAME))
                .map(kv -> kv.get(EbpfConfig.RUNTIME_PROPERTY_NAME)).toList();
    }
}
