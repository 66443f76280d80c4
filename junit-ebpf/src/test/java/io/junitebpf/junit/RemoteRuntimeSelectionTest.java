package io.junitebpf.junit;

import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Where a class runs when this JVM cannot load BPF. This module's test class path has no remote runtime (the
 * container runtime is another artifact), so the extension must say which artifact to add.
 */
class RemoteRuntimeSelectionTest {

    private static final String ARTIFACT = "io.junitebpf:junit-ebpf-container";

    @EbpfTest(objects = "bpf/usdt.bpf.o")
    static class NeedsBpfTestCases {
        @Test
        void needsBpf() {
        }
    }

    @Test
    void withoutTheContainerArtifactAutoSkipsNamingIt() {
        EngineExecutionResults results = run(Map.of(EbpfConfig.RUNTIME_PROPERTY_NAME, "auto"));

        assertThat(results.containerEvents().skipped().list()).singleElement()
                .satisfies(e -> assertThat(e.getPayload(String.class).orElseThrow())
                        .contains("this JVM cannot load BPF (no privileges to load BPF")
                        .contains("no container runtime on the test class path (add the test dependency "
                                + ARTIFACT + ")"));
    }

    @Test
    void withoutTheContainerArtifactDemandingContainersFailsNamingIt() {
        EngineExecutionResults results = run(Map.of(EbpfConfig.RUNTIME_PROPERTY_NAME, "container"));

        assertThat(results.containerEvents().failed().list()).singleElement()
                .satisfies(e -> assertThat(e.getRequiredPayload(TestExecutionResult.class).getThrowable()
                        .orElseThrow().getMessage())
                        .contains("junit.ebpf.runtime=container but no container can be started")
                        .contains(ARTIFACT));
    }

    @Test
    void aBadRuntimeNamesKeyValueAndChoices() {
        EngineExecutionResults results = run(Map.of(EbpfConfig.RUNTIME_PROPERTY_NAME, "docker"));

        assertThat(results.containerEvents().failed().list()).singleElement()
                .satisfies(e -> assertThat(e.getRequiredPayload(TestExecutionResult.class).getThrowable()
                        .orElseThrow().getMessage())
                        .contains("junit.ebpf.runtime='docker'", "in-process", "never-container"));
    }

    @Test
    void decisions() {
        Optional<String> noBpf = Optional.of("EPERM");
        Optional<String> noDocker = Optional.of("no engine");

        assertThat(RuntimeDecision.choose(EbpfTest.Runtime.AUTO, Optional.empty(), name -> {
            throw new AssertionError("no remote runtime is asked when BPF loads here");
        }).choice()).isEqualTo(RuntimeDecision.Choice.IN_PROCESS);
        RuntimeDecision remote = RuntimeDecision.choose(EbpfTest.Runtime.AUTO, noBpf, name -> Optional.empty());
        assertThat(remote.choice()).isEqualTo(RuntimeDecision.Choice.REMOTE);
        assertThat(remote.remote()).contains("container");
        assertThat(remote.describe()).startsWith("container: ").contains("running in a container");
        RuntimeDecision skip = RuntimeDecision.choose(EbpfTest.Runtime.AUTO, noBpf, name -> noDocker);
        assertThat(skip.choice()).isEqualTo(RuntimeDecision.Choice.SKIP);
        assertThat(skip.reason()).contains("EPERM").contains("no engine");
        assertThat(RuntimeDecision.choose(EbpfTest.Runtime.CONTAINER, Optional.empty(), name -> noDocker).choice())
                .isEqualTo(RuntimeDecision.Choice.FAIL);
        assertThat(RuntimeDecision.choose(EbpfTest.Runtime.NEVER_CONTAINER, noBpf, name -> Optional.empty()).choice())
                .isEqualTo(RuntimeDecision.Choice.SKIP);
        assertThat(RuntimeDecision.choose(EbpfTest.Runtime.IN_PROCESS, noBpf, name -> Optional.empty()).choice())
                .isEqualTo(RuntimeDecision.Choice.IN_PROCESS);
    }

    private static EngineExecutionResults run(Map<String, String> parameters) {
        Map<String, String> all = new java.util.HashMap<>(parameters);
        all.put(EbpfConfig.SIMULATE_UNPRIVILEGED_PROPERTY_NAME, "true");
        return EngineTestKit.engine("junit-jupiter").configurationParameters(all)
                .selectors(selectClass(NeedsBpfTestCases.class)).execute();
    }
}
