package io.junitebpf.junit;

import io.junitebpf.event.EventStream;
import io.junitebpf.junit.SeedEvents.UsdtEvent;
import io.junitebpf.target.TargetProcess;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.junitebpf.junit.EbpfAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * The extension's failure paths, each run through the JUnit engine (EngineTestKit)
 * on nested test cases, with the resulting message checked.
 */
class FailurePathsTest {

    /** A record whose member types do not match struct usdt_event. */
    @io.junitebpf.event.CStruct("usdt_event")
    record NarrowUsdtEvent(String name, short arg1) {
        // arg1 is __s64 in C: a short cannot hold it
    }

    @io.junitebpf.event.CStruct("usdt_event")
    record MisnamedEvent(String name, long argument) {
    }

    @EbpfTest(objects = "bpf/usdt.bpf.o")
    static class WrongRecordTestCases {
        @Test
        void narrow(@Events EventStream<NarrowUsdtEvent> events) {
        }

        @Test
        void misnamed(@Events EventStream<MisnamedEvent> events) {
        }
    }

    @EbpfTest(objects = "bpf/usdt.bpf.o")
    static class MissingProbeTestCases {
        @Test
        @AttachUsdt(program = "func_usdt1", probe = "groupa:probe7")
        void missingProbe(@Launch TargetProcess umark) {
        }
    }

    @EbpfTest(objects = "bpf/usdt.bpf.o")
    static class PrivilegeTestCases {
        @Test
        void needsPrivileges() {
        }
    }

    @EbpfTest
    static class BrokenTargetTestCases {
        @Test
        void broken(@Launch(value = "broken", source = "targets/broken.c") TargetProcess target) {
        }
    }

    @EbpfTest(objects = "bpf/usdt.bpf.o")
    static class EarlyExitTestCases {
        @Test
        @AttachUsdt(program = "func_usdt1", probe = "groupa:probe1")
        void targetDies(@Launch(args = {"--count", "not-a-number"}) TargetProcess umark,
                        @Events EventStream<UsdtEvent> events) {
            umark.waitFor(Duration.ofSeconds(5));
            assertThat(events).awaitAtMost(Duration.ofSeconds(30)).hasAtLeast(1);
        }
    }

    @EbpfTest(objects = "bpf/usdt.bpf.o")
    static class TimeoutTestCases {
        @Test
        @AttachUsdt(program = "func_usdt1", probe = "groupa:probe1")
        void neverSeesEleven(@Launch(release = true) TargetProcess umark, @Events EventStream<UsdtEvent> events) {
            assertThat(events.fromProcess(umark.pid())).awaitAtMost(Duration.ofMillis(600))
                    .anySatisfy(e -> assertThat(e.arg1()).isEqualTo(11));
        }
    }

    @EbpfTest(objects = "bpf/usdt.bpf.o")
    static class BadDeclarationsTestCases {
        @Test
        @AttachUsdt(program = "func_usdt1", probe = "groupa-probe1")
        void probeWithoutProvider(@Launch TargetProcess umark) {
        }

        @Test
        @AttachTracepoint(program = "func_usdt1", tracepoint = "sys_enter_execve")
        void tracepointWithoutCategory() {
        }

        @Test
        void relativeTargetPath(@Launch("bin/umark") TargetProcess target) {
        }

        @Test
        void unknownProgram(@Bpf("func_usdt9") io.junitebpf.bpf.Program program) {
        }
    }

    @EbpfTest(objects = "bpf/missing.bpf.o")
    static class MissingObjectTestCases {
        @Test
        void neverRuns() {
        }
    }

    @Test
    void badDeclarationsFailNamingTheAnnotationAndTheFix() {
        List<String> messages = failures(run(BadDeclarationsTestCases.class, Map.of()));
        assertThat(messages).hasSize(4);
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("@AttachUsdt", "groupa-probe1",
                "\"provider:name\""));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("@AttachTracepoint", "\"category:name\""));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("@Launch(\"bin/umark\")", "absolute path"));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("func_usdt9", "func_usdt1, func_usdt2"));
    }

    @Test
    void aMissingObjectResourceIsNamed() {
        assertThat(failures(run(MissingObjectTestCases.class, Map.of()))).singleElement()
                .satisfies(m -> assertThat(m).contains("no classpath resource 'bpf/missing.bpf.o'"));
    }

    @Test
    void aRecordThatDoesNotMatchTheStructFailsAtInjectionNamingStructMemberAndTypes() {
        List<String> messages = failures(run(WrongRecordTestCases.class, Map.of()));
        assertThat(messages).hasSize(2);
        assertThat(messages).anySatisfy(m -> assertThat(m)
                .contains("NarrowUsdtEvent", "arg1", "short", "struct usdt_event", "__s64", "narrower"));
        assertThat(messages).anySatisfy(m -> assertThat(m)
                .contains("MisnamedEvent", "'argument'", "struct usdt_event has no such member",
                        "arg1, arg2, arg_count"));
    }

    @Test
    void aMissingProbeFailsNamingTheProbesTheBinaryHas() {
        assertThat(failures(run(MissingProbeTestCases.class, Map.of()))).singleElement()
                .satisfies(m -> assertThat(m).contains("groupa:probe7", "groupa:probe1", "groupb:probe2"));
    }

    @Test
    void missingPrivilegesSkipWithTheReasonOrFailByPolicy() {
        EngineExecutionResults skipped = run(PrivilegeTestCases.class,
                Map.of(EbpfConfig.SIMULATE_UNPRIVILEGED_PROPERTY_NAME, "true", "junit.ebpf.runtime", "never-container"));
        assertThat(skipped.containerEvents().skipped().list()).singleElement()
                .satisfies(e -> assertThat(e.getPayload(String.class).orElseThrow())
                        .contains("no privileges to load BPF", "CAP_BPF"));

        EngineExecutionResults failed = run(PrivilegeTestCases.class,
                Map.of(EbpfConfig.SIMULATE_UNPRIVILEGED_PROPERTY_NAME, "true", "junit.ebpf.runtime", "never-container",
                        EbpfConfig.UNAVAILABLE_PROPERTY_NAME, "fail"));
        assertThat(failed.containerEvents().failed().list()).singleElement()
                .satisfies(e -> assertThat(message(e)).contains("no privileges", "junit.ebpf.unavailable=fail"));
    }

    @Test
    void aBadConfigurationValueNamesKeyAndValue() {
        EngineExecutionResults results = run(PrivilegeTestCases.class,
                Map.of(EbpfConfig.SIMULATE_UNPRIVILEGED_PROPERTY_NAME, "true", "junit.ebpf.runtime", "never-container",
                        EbpfConfig.UNAVAILABLE_PROPERTY_NAME, "maybe"));
        assertThat(results.containerEvents().failed().list()).singleElement()
                .satisfies(e -> assertThat(message(e)).contains("junit.ebpf.unavailable='maybe'", "skip", "fail"));
    }

    @Test
    void aTargetThatFailsToCompileShowsTheCompilerOutput() {
        assertThat(failures(run(BrokenTargetTestCases.class, Map.of()))).singleElement()
                .satisfies(m -> assertThat(m).contains("build native target broken", "this_does_not_compile",
                        "exited with"));
    }

    @Test
    void aTargetThatExitsEarlyStopsTheWaitAtOnce() {
        long start = System.nanoTime();
        assertThat(failures(run(EarlyExitTestCases.class, Map.of()))).singleElement()
                .satisfies(m -> assertThat(m).contains("died", "exited with 2", "--count wants"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(25));
    }

    @Test
    void anAwaitThatTimesOutShowsTheEventsItSaw() {
        assertThat(failures(run(TimeoutTestCases.class, Map.of()))).singleElement()
                .satisfies(m -> assertThat(m).contains("Timed out after 600 ms", "UsdtEvent events from ring buffer "
                        + "'events' of bpf/usdt.bpf.o, from pid", "arg1=10", "--- junit-ebpf diagnostics ---"));
    }

    static EngineExecutionResults run(Class<?> testCases, Map<String, String> configuration) {
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameters(configuration)
                .selectors(selectClass(testCases))
                .execute();
    }

    static List<String> failures(EngineExecutionResults results) {
        return results.allEvents().failed().stream().map(FailurePathsTest::message).toList();
    }

    static String message(Event event) {
        Throwable t = event.getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow();
        StringBuilder all = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.append(c.getMessage()).append('\n');
        }
        return all.toString();
    }
}
