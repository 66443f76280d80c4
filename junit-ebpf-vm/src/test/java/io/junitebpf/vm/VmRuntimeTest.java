package io.junitebpf.vm;

import io.junitebpf.event.EventStream;
import io.junitebpf.junit.AttachTracepoint;
import io.junitebpf.junit.EbpfConfig;
import io.junitebpf.junit.EbpfTest;
import io.junitebpf.junit.Events;
import io.junitebpf.target.TargetProcess;
import io.junitebpf.target.Umark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.junitebpf.junit.EbpfAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * The VM runtime end to end: with {@value EbpfConfig#KERNEL_PROPERTY_NAME}=6.1 the @EbpfTest classes below run in a
 * QEMU guest booted with Debian bookworm's kernel (one boot serves both classes), and their outcomes come back here.
 * Bad input fails the class (so every test) with the reason before anything boots.
 */
class VmRuntimeTest {

    record TaskInfo(long timestampNs, int tgid, int ppid, int uid, String comm, String parentComm) {
    }

    record ExecveEvent(String name, TaskInfo task, String filename) {
    }

    /** A tracepoint on execve, as in the guide; run by {@link VmRuntimeTest}, not by Surefire (a nested class). */
    @EbpfTest(objects = "bpf/trace_execve.bpf.o")
    static class TracepointTestCases {

        @Test
        @AttachTracepoint(program = "trace_execve_manual", tracepoint = "syscalls:sys_enter_execve")
        void seesUmarksExec(@Events EventStream<ExecveEvent> events, TestReporter reporter) {
            reporter.publishEntry("kernel", System.getProperty("os.version"));
            try (TargetProcess umark = Umark.launchGated(1, Duration.ZERO)) {
                assertThat(events.fromProcess(umark.pid())).anySatisfy(e ->
                        assertThat(e.filename()).isEqualTo(umark.executable().toString()));
            }
        }
    }

    /** A second class: it must reuse the guest the first one booted. */
    @EbpfTest
    static class FailingTestCases {

        @Test
        void failsOnPurpose(TestReporter reporter) {
            reporter.publishEntry("kernel", System.getProperty("os.version"));
            System.out.println("printed in the guest");
            assertThat(6 * 7).as("the answer in the guest").isEqualTo(41);
        }
    }

    /** A class that pins its kernel; it reuses the guest of the classes above. */
    @EbpfTest(kernel = "6.1")
    static class PinnedTestCases {

        @Test
        void reportsItsKernel(TestReporter reporter) {
            reporter.publishEntry("kernel", System.getProperty("os.version"));
        }
    }

    @Test
    void testsRunOnTheRequestedKernelAndReportIt() {
        java.io.PrintStream out = System.out;
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        EngineExecutionResults results;
        System.setOut(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            results = EngineTestKit.engine("junit-jupiter")
                    .configurationParameters(Map.of(EbpfConfig.KERNEL_PROPERTY_NAME, "6.1"))
                    .selectors(selectClass(TracepointTestCases.class), selectClass(FailingTestCases.class))
                    .execute();
        } finally {
            System.setOut(out);
        }

        results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(1).failed(1));
        assertThat(failure(results.testEvents().failed().list().getFirst()))
                .contains("the answer in the guest", "41");
        List<String> guestKernels = entries(results, "kernel");
        assertThat(guestKernels).hasSize(2).allSatisfy(k -> assertThat(k).startsWith("6.1.")
                .isNotEqualTo(System.getProperty("os.version")));
        assertThat(entries(results, "junit.ebpf.remote")).hasSize(2)
                .allSatisfy(w -> assertThat(w).isEqualTo("vm: Linux " + guestKernels.getFirst() + " (tcg)"));
        // surefire drops report entries: each test also prints the entry, and surefire keeps the test's output
        assertThat(printed.toString(java.nio.charset.StandardCharsets.UTF_8).lines()
                .filter(l -> l.startsWith(VmRuntimeProvider.RAN_ON)))
                .containsExactly(VmRuntimeProvider.RAN_ON + "vm: Linux " + guestKernels.getFirst() + " (tcg)",
                        VmRuntimeProvider.RAN_ON + "vm: Linux " + guestKernels.getFirst() + " (tcg)");
        assertThat(entries(results, EbpfConfig.RUNTIME_PROPERTY_NAME))
                .allSatisfy(r -> assertThat(r).isEqualTo("vm: junit.ebpf.kernel=6.1"));

        EngineExecutionResults pinned = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(PinnedTestCases.class)).execute();
        pinned.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
        assertThat(entries(pinned, "kernel")).containsExactly(guestKernels.getFirst());
    }

    @Test
    void anUnknownKernelNameFailsEveryTestWithTheNamesItKnows() {
        EngineExecutionResults results = run(Map.of(EbpfConfig.KERNEL_PROPERTY_NAME, "6.66"));

        assertThat(classFailure(results))
                .contains("junit.ebpf.kernel='6.66' is invalid", "5.10, 6.1, 6.12, latest, host");
    }

    @Test
    void aMissingKernelImageFailsEveryTestNamingThePath() {
        EngineExecutionResults results = run(Map.of(EbpfConfig.KERNEL_PROPERTY_NAME, "/nowhere/vmlinuz-6.6"));

        assertThat(classFailure(results))
                .contains("/nowhere/vmlinuz-6.6", "does not exist");
    }

    @Test
    void aFileThatIsNoKernelFailsBeforeAnythingBoots(@TempDir Path dir) throws Exception {
        Path image = Files.writeString(dir.resolve("vmlinuz"), "not a kernel\n");

        EngineExecutionResults results = run(Map.of(EbpfConfig.KERNEL_PROPERTY_NAME, image.toString(),
                VmConfig.CACHE_PROPERTY_NAME, dir.resolve("cache").toString()));

        assertThat(classFailure(results))
                .contains("cannot prepare kernel " + image, "cannot find an uncompressed or xz/zstd/gzip-compressed ELF kernel");
    }

    @Test
    void kvmRequestedWhereThereIsNoneFailsBeforeAnythingBoots() {
        assumeFalse(Files.exists(Path.of("/dev/kvm")), "this machine has a /dev/kvm: accel-test covers that case");

        EngineExecutionResults results = run(Map.of(EbpfConfig.KERNEL_PROPERTY_NAME, "6.1",
                VmConfig.ACCEL_PROPERTY_NAME, "kvm"));

        assertThat(classFailure(results)).contains("junit.ebpf.vm.accel=kvm cannot be met: no /dev/kvm");
    }

    private static EngineExecutionResults run(Map<String, String> parameters) {
        return EngineTestKit.engine("junit-jupiter").configurationParameters(parameters)
                .selectors(selectClass(FailingTestCases.class)).execute();
    }

    /** The reason the class failed before any of its tests started (the runtime's problem, found first). */
    private static String classFailure(EngineExecutionResults results) {
        results.testEvents().assertStatistics(stats -> stats.started(0));
        return failure(results.containerEvents().failed().list().getFirst());
    }

    private static String failure(Event event) {
        return event.getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow().getMessage();
    }

    private static List<String> entries(EngineExecutionResults results, String key) {
        return results.allEvents().reportingEntryPublished().stream()
                .map(e -> e.getPayload(ReportEntry.class).orElseThrow().getKeyValuePairs())
                .filter(kv -> kv.containsKey(key)).map(kv -> kv.get(key)).toList();
    }
}
