package io.junitebpf.container;

import io.junitebpf.remote.RemoteTestResult;
import io.junitebpf.junit.EbpfConfig;
import io.junitebpf.junit.spi.TestOutcome.Status;
import io.junitebpf.junit.spi.TestRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs {@link ContainerSampleTestCases} in a real runtime container and checks the mapped outcomes: a real USDT
 * test passes, a failure keeps its type and message, an abort keeps its reason, report entries and output come
 * back. Skipped with a reason when no Docker engine answers.
 */
class ContainerRuntimeTest {

    private static ContainerRuntime runtime;
    private static ContainerRuntime.ClassTests tests;

    @BeforeAll
    static void startRuntime() {
        DockerAvailable.assumeEngine();
        runtime = ContainerRuntime.forConfig(DockerAvailable.config());
        tests = runtime.session(ContainerSampleTestCases.class.getName());
    }

    @AfterAll
    static void closeRuntime() {
        if (runtime != null) {
            String id = runtime.containerId().orElse(null);
            runtime.close();
            if (id != null) {
                assertThat(DockerEngine.client().listContainersCmd().withShowAll(true).withIdFilter(List.of(id)).exec())
                        .as("container %s after close", id).isEmpty();
            }
        }
    }

    @Test
    void usdtTestPassesInTheContainer() {
        RemoteTestResult result = tests.run(request("usdtProbe1OfUmarkReportsTen"));

        assertThat(result.status()).as(result::toString).isEqualTo(Status.SUCCESSFUL);
        assertThat(result.failure()).isEmpty();
        assertThat(result.reportEntries()).anySatisfy(e -> assertThat(e).containsKey("umark"));
        assertThat(result.stdout()).contains("usdt events from umark");
        assertThat(result.where()).startsWith("container ").contains("image ");
    }

    @Test
    void failureKeepsItsTypeAndMessage() {
        RemoteTestResult result = tests.run(request("failsOnPurpose"));

        assertThat(result.status()).isEqualTo(Status.FAILED);
        RemoteTestResult.Failure failure = result.failure().orElseThrow();
        assertThat(failure.className()).isEqualTo(AssertionFailedError.class.getName());
        assertThat(failure.message()).contains("[the answer]").contains("41").contains("42");
        assertThat(failure.stackTrace()).contains("ContainerSampleTestCases.failsOnPurpose");
        Throwable rebuilt = failure.toThrowable();
        assertThat(rebuilt).isInstanceOf(AssertionFailedError.class).hasMessage(failure.message());
        assertThat(rebuilt.getStackTrace()).anySatisfy(f -> assertThat(f.getMethodName()).isEqualTo("failsOnPurpose"));
    }

    @Test
    void abortKeepsItsReason() {
        RemoteTestResult result = tests.run(request("abortsOnPurpose"));

        assertThat(result.status()).isEqualTo(Status.ABORTED);
        assertThat(result.failure().orElseThrow().message()).isEqualTo("aborted on purpose in the container");
    }

    @Test
    void runsInProcessInsideWithReportEntriesAndStderr() {
        RemoteTestResult result = tests.run(request("reportsWhereItRuns"));

        assertThat(result.status()).as(result::toString).isEqualTo(Status.SUCCESSFUL);
        assertThat(result.reportEntries()).containsExactly(java.util.Map.of("runtime", "in-process"));
        assertThat(result.stderr()).contains("hello from the container's stderr");
    }

    @Test
    void oneInvocationOfAParameterizedTestIsSelectedByUniqueId() throws NoSuchMethodException {
        Method method = ContainerSampleTestCases.class.getDeclaredMethod("onlyTwoPasses", int.class);
        String base = "[engine:junit-jupiter]/[class:" + ContainerSampleTestCases.class.getName()
                + "]/[test-template:onlyTwoPasses(int)]/[test-template-invocation:#";

        RemoteTestResult second = tests.run(TestRequest.of(ContainerSampleTestCases.class, method,
                Optional.of(base + "2]")));
        RemoteTestResult third = tests.run(TestRequest.of(ContainerSampleTestCases.class, method,
                Optional.of(base + "3]")));

        assertThat(second.status()).as(second::toString).isEqualTo(Status.SUCCESSFUL);
        assertThat(third.status()).isEqualTo(Status.FAILED);
        assertThat(third.failure().orElseThrow().message()).contains("3");
    }

    @Test
    void aNonDaemonThreadLeftBehindDoesNotHoldTheTestUp() {
        RemoteTestResult result = tests.run(request("leavesANonDaemonThreadBehind"));

        assertThat(result.status()).isEqualTo(Status.SUCCESSFUL);
        assertThat(result.duration()).isLessThan(Duration.ofSeconds(60));
    }

    @Test
    void oneJvmServesEveryClassWithStaticsFreshPerClassAndJarsLoadedOnce() {
        RemoteTestResult first;
        RemoteTestResult second;
        RemoteTestResult nextClass;
        try (ContainerRuntime.ClassTests own = runtime.session(ContainerSampleTestCases.class.getName())) {
            first = own.run(request("countsItsRuns"));
            second = own.run(request("countsItsRuns"));
        }
        try (ContainerRuntime.ClassTests again = runtime.session(ContainerSampleTestCases.class.getName())) {
            nextClass = again.run(request("countsItsRuns"));
        }

        assertThat(entry(first, "runs")).as(first::toString).isEqualTo("1");
        assertThat(entry(second, "runs")).as("a static of the class, second test of the class").isEqualTo("2");
        assertThat(entry(nextClass, "runs")).as("the static in the next class session").isEqualTo("1");
        assertThat(entry(second, "test class")).isEqualTo(entry(first, "test class"));
        assertThat(entry(nextClass, "test class")).as("the test class is loaded again for the next session")
                .isNotEqualTo(entry(first, "test class"));
        assertThat(entry(nextClass, "jar class")).as("a class of a jar, loaded once").isEqualTo(entry(first, "jar class"));
        assertThat(entry(nextClass, "jvm")).as("the JVM that ran the tests").isEqualTo(entry(first, "jvm"));
    }

    @Test
    void classesRunningAtTheSameTimeLeaseTheirOwnJvmInTheOneContainer() {
        try (ContainerRuntime.ClassTests a = runtime.session(ContainerSampleTestCases.class.getName());
             ContainerRuntime.ClassTests b = runtime.session(ContainerSampleTestCases.class.getName())) {
            RemoteTestResult inA = a.run(request("countsItsRuns"));
            RemoteTestResult inB = b.run(request("countsItsRuns"));

            assertThat(entry(inB, "jvm")).as("the JVM of a class while another class holds one")
                    .isNotEqualTo(entry(inA, "jvm"));
            assertThat(entry(inB, "runs")).isEqualTo("1");
            assertThat(inB.where()).isEqualTo(inA.where());
        }
    }

    @Test
    void theWorkingDirectoryIsTheProjectsInsideToo() {
        RemoteTestResult result = tests.run(request("readsARelativePath"));

        assertThat(result.reportEntries()).as(result::toString)
                .contains(java.util.Map.of("user.dir", System.getProperty("user.dir")), java.util.Map.of("pom.xml", "true"));
    }

    private static String entry(RemoteTestResult result, String key) {
        return result.reportEntries().stream().filter(e -> e.containsKey(key)).map(e -> e.get(key))
                .findFirst().orElseThrow(() -> new AssertionError("no report entry " + key + " in " + result));
    }

    /** Not an assertion on speed: measures and prints the per-test overhead for the docs. */
    @Test
    void perTestOverhead() {
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            RemoteTestResult result = tests.run(request("abortsOnPurpose"));
            assertThat(result.status()).isEqualTo(Status.ABORTED);
            millis.add(result.duration().toMillis());
        }
        System.out.println("container runtime per-test overhead (ms, trivial test, container already running): "
                + millis + " in " + runtime.description().orElseThrow());
    }

    @Test
    void theReportSaysWhichContainerAndProfile() {
        tests.run(request("abortsOnPurpose"));

        assertThat(runtime.description().orElseThrow())
                .matches("container [0-9a-f]{12} \\(image .+, (--privileged|capability profile: .+)\\)");
    }

    static TestRequest request(String methodName) {
        Method method = Arrays.stream(ContainerSampleTestCases.class.getDeclaredMethods())
                .filter(m -> m.getName().equals(methodName)).findFirst().orElseThrow();
        return TestRequest.of(ContainerSampleTestCases.class, method, Optional.empty());
    }
}
