package io.junitebpf.container;

import io.junitebpf.remote.RemoteTestResult;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import io.junitebpf.junit.EbpfConfig;
import io.junitebpf.junit.spi.TestOutcome.Status;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the runtime says when it cannot do its job: real engine, real containers, real refusals. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ContainerFailurePathsTest {

    @BeforeAll
    static void engine() {
        DockerAvailable.assumeEngine();
    }

    @Test
    void missingImageNamesTheImageAndTheScript() {
        String image = "junit-ebpf-runtime:no-such-tag";
        try (ContainerRuntime runtime = ContainerRuntime.forConfig(DockerAvailable.config().withImage(image))) {
            ContainerRuntime.ClassTests tests = runtime.session(ContainerSampleTestCases.class.getName());
            assertThatThrownBy(() -> tests.run(ContainerRuntimeTest.request("abortsOnPurpose")))
                    .isInstanceOf(ContainerException.class)
                    .hasMessageContaining("image " + image)
                    .hasMessageContaining("cannot be pulled")
                    .hasMessageContaining("scripts/build-runtime-image " + image);
        }
    }

    @Test
    void aMountTheEngineRefusesIsReportedWithItsReason() {
        String image = runtimeImage();
        Path impossible = Path.of("/proc/junit-ebpf-no-such-dir");

        assertThatThrownBy(() -> PrivilegedContainer.start(image, PrivilegeProfile.CAPABILITIES, "RefusedTest",
                List.of(impossible), List.of()))
                .isInstanceOf(ContainerException.class)
                .hasMessageContaining("the engine refused to start " + image)
                .hasMessageContaining(impossible.toString())
                .hasMessageContaining(ContainerConfig.PRIVILEGES_PROPERTY_NAME);
        assertThat(ownContainers("RefusedTest")).as("containers left after a refused start").isEmpty();
    }

    @Test
    void refusedPrivilegedModeFailsWhenDemandedAndFallsBackInAuto() {
        String image = runtimeImage();
        PrivilegedContainer privileged;
        try {
            privileged = PrivilegedContainer.start(image, PrivilegeProfile.PRIVILEGED, "PrivilegedTest", List.of(),
                    List.of());
        } catch (ContainerException refused) {
            assertThat(refused).hasMessageContaining("--privileged").hasMessageContaining("refused");
            try (PrivilegedContainer auto = PrivilegedContainer.start(image, PrivilegeProfile.AUTO, "PrivilegedTest",
                    List.of(), List.of())) {
                assertThat(auto.description()).contains("capability profile")
                        .contains("the engine refused --privileged");
            }
            return;
        }
        privileged.close();
        Assumptions.abort("this engine accepts --privileged: the refusal and its fallback cannot be shown here");
    }

    @Test
    void aContainerThatDiesMidTestFailsThatTestAndTheNextGetsAFreshOne() throws Exception {
        try (ContainerRuntime runtime = ContainerRuntime.forConfig(DockerAvailable.config());
             ContainerRuntime.ClassTests tests = runtime.session(ContainerSampleTestCases.class.getName())) {
            assertThat(tests.run(ContainerRuntimeTest.request("abortsOnPurpose")).status()).isEqualTo(Status.ABORTED);
            String first = runtime.containerId().orElseThrow();

            CompletableFuture<RemoteTestResult> sleeping = CompletableFuture.supplyAsync(
                    () -> tests.run(ContainerRuntimeTest.request("sleepsLong")));
            Thread.sleep(Duration.ofSeconds(8));  // the container JVM is in the test's sleep by now
            DockerEngine.client().killContainerCmd(first).exec();
            RemoteTestResult result = sleeping.get(60, TimeUnit.SECONDS);

            assertThat(result.status()).isEqualTo(Status.FAILED);
            assertThat(result.failure().orElseThrow().message())
                    .contains("ContainerSampleTestCases#sleepsLong()")
                    .contains("was cut short")
                    .contains("container " + first.substring(0, 12))
                    .contains("no longer running");

            assertThat(tests.run(ContainerRuntimeTest.request("abortsOnPurpose")).status()).isEqualTo(Status.ABORTED);
            assertThat(runtime.containerId()).isPresent().get().isNotEqualTo(first);
        }
    }

    @Test
    void containersOfAKilledJvmAreRemovedAtTheNextStart() throws Exception {
        DockerClient client = DockerEngine.client();
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        startLabelled(client, "OrphanTest", gone.pid(), "2000-01-01T00:00:00Z");

        assertThat(ContainerReaper.removeOrphans(client)).isGreaterThanOrEqualTo(1);
        assertThat(ownContainers("OrphanTest")).isEmpty();
    }

    @Test
    void aLiveOwnersContainerStaysAndOneWhosePidWasReusedGoes() throws Exception {
        DockerClient client = DockerEngine.client();
        long self = ProcessHandle.current().pid();
        String started = ContainerReaper.startOf(self).orElseThrow();
        String live = startLabelled(client, "LiveOwnerTest", self, started);
        // the same pid, started one tick later: another process that was given the owner's pid
        String reused = startLabelled(client, "ReusedPidTest", self, Long.toString(Long.parseLong(started) + 1));
        try {
            ContainerReaper.removeOrphans(client);

            assertThat(ownContainers("LiveOwnerTest")).as("the container of this JVM, which still runs")
                    .extracting(Container::getId).containsExactly(live);
            assertThat(ownContainers("ReusedPidTest")).as("container %s, whose owner's pid now names another "
                    + "process", reused.substring(0, 12)).isEmpty();
        } finally {
            client.removeContainerCmd(live).withForce(true).exec();
        }
    }

    private static String startLabelled(DockerClient client, String testClass, long pid, String started) {
        String id = client.createContainerCmd(runtimeImage()).withCmd("sleep", "infinity")
                .withLabels(Map.of(ContainerReaper.LABEL, "true", ContainerReaper.PID_LABEL, Long.toString(pid),
                        ContainerReaper.JVM_START_LABEL, started,
                        ContainerReaper.HOST_LABEL, ContainerReaper.hostName(),
                        ContainerReaper.TEST_CLASS_LABEL, testClass))
                .exec().getId();
        client.startContainerCmd(id).exec();
        return id;
    }

    @Test
    void unreachableEngineSkipsNamingBothReasonsAndFailsWhenContainersAreDemanded() throws Exception {
        Path socket = Path.of("/var/run/docker.sock").toRealPath();
        Path unshare = Path.of("/usr/bin/unshare");
        Assumptions.assumeTrue(Files.isExecutable(unshare), "needs unshare(1) to hide " + socket);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        // a child JVM in its own user and mount namespace, where the engine's socket is /dev/null and DOCKER_HOST
        // points nowhere: no Testcontainers strategy can reach an engine
        List<String> command = new ArrayList<>(List.of(unshare.toString(), "-rm", "sh", "-c",
                "mount --bind /dev/null " + socket + " && exec \"$@\"", "sh",
                java.toString(), "-cp", System.getProperty("java.class.path"),
                UnreachableEngineMain.class.getName()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("DOCKER_HOST", "unix:///tmp/junit-ebpf-no-engine.sock");
        builder.environment().put("TESTCONTAINERS_DOCKER_CLIENT_STRATEGY",
                "org.testcontainers.dockerclient.EnvironmentAndSystemPropertyClientProviderStrategy");
        builder.environment().put("TESTCONTAINERS_RYUK_DISABLED", "true");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();

        assertThat(output).as(output)
                .contains("auto: skipped: junit-ebpf: junit.ebpf.runtime=auto: this JVM cannot load BPF (no privileges")
                .contains("no container runtime is available (no Docker engine reachable")
                .contains("scripts/docker-engine")
                .containsPattern("container: failed: .*junit.ebpf.runtime=container but no container can be started")
                .as("Testcontainers' SLF4J logging has a provider").doesNotContain("SLF4J");
    }

    private static String runtimeImage() {
        return DockerAvailable.config().image().orElseGet(() -> {
            Assumptions.abort("needs " + ContainerConfig.IMAGE_PROPERTY_NAME + " or the image "
                    + RuntimeImage.SCRIPT_DEFAULT_TAG + " (scripts/build-runtime-image)");
            return null;
        });
    }

    private static List<Container> ownContainers(String testClass) {
        return DockerEngine.client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(ContainerReaper.TEST_CLASS_LABEL, testClass)).exec();
    }

    /**
     * Run in a child JVM whose Testcontainers is pointed at a socket nobody listens on: the extension, finding this
     * runtime through ServiceLoader, skips in auto mode and fails when containers are demanded.
     */
    static final class UnreachableEngineMain {
        public static void main(String[] args) {
            for (String mode : List.of("auto", "container")) {
                EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                        .configurationParameters(Map.of(EbpfConfig.SIMULATE_UNPRIVILEGED_PROPERTY_NAME, "true",
                                EbpfConfig.RUNTIME_PROPERTY_NAME, mode, EbpfConfig.STRICT_PROPERTY_NAME, "false"))
                        .selectors(org.junit.platform.engine.discovery.DiscoverySelectors.selectClass(
                                ExtensionContainerRouteTest.RouteTestCases.class))
                        .execute();
                results.allEvents().skipped().stream().forEach(e -> System.out.println(mode + ": skipped: "
                        + e.getPayload(String.class).orElse("?")));
                results.allEvents().failed().stream().forEach(e -> System.out.println(mode + ": failed: "
                        + e.getRequiredPayload(TestExecutionResult.class).getThrowable().map(Throwable::getMessage)
                        .orElse("?")));
            }
            System.exit(0);
        }
    }
}
