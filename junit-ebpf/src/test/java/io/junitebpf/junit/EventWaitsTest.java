package io.junitebpf.junit;

import io.junitebpf.event.EventStream;
import io.junitebpf.junit.SeedEvents.UsdtEvent;
import io.junitebpf.target.TargetProcess;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.junitebpf.junit.EbpfAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Waits that say what they waited for, count exactly, and end as soon as they
 * cannot succeed — each through the JUnit engine on nested test cases.
 */
class EventWaitsTest {

    private static final String STREAM = "UsdtEvent events from ring buffer 'events' of bpf/usdt.bpf.o";

    @EbpfTest(objects = "bpf/usdt.bpf.o")
    static class RequirementTestCases {
        @Test
        @AttachUsdt(program = "func_usdt1", probe = "groupa:probe1")
        void anyIsEleven(@Launch(release = true) TargetProcess umark, @Events EventStream<UsdtEvent> events) {
            assertThat(events).awaitAtMost(Duration.ofMillis(600))
                    .anySatisfy(e -> assertThat(e.arg1()).as("arg1").isEqualTo(11));
        }

        @Test
        @AttachUsdt(program = "func_usdt1", probe = "groupa:probe1")
        void allAreEleven(@Launch(release = true) TargetProcess umark, @Events EventStream<UsdtEvent> events) {
            assertThat(events).hasAtLeast(2).allSatisfy(e -> assertThat(e.arg1()).as("arg1").isEqualTo(11));
        }
    }

    @EbpfTest(objects = "bpf/usdt.bpf.o")
    static class ExactTestCases {
        @Test
        @AttachUsdt(program = "func_usdt1", probe = "groupa:probe1")
        void threeOfThree(@Launch(args = {"--count", "3", "--interval", "20"}, release = true) TargetProcess umark,
                          @Events EventStream<UsdtEvent> events) {
            assertThat(events).awaitAtMost(Duration.ofSeconds(20)).hasExactly(3);
        }

        @Test
        @AttachUsdt(program = "func_usdt1", probe = "groupa:probe1")
        void threeOfFive(@Launch(args = {"--count", "5", "--interval", "20"}, release = true) TargetProcess umark,
                         @Events EventStream<UsdtEvent> events) {
            assertThat(events).awaitAtMost(Duration.ofSeconds(20)).hasExactly(3);
        }

        @Test
        @AttachUsdt(program = "func_usdt1", probe = "groupa:probe1")
        void threeWhileRunningThenQuiet(@Launch TargetProcess umark, @Events EventStream<UsdtEvent> events,
                                        io.junitebpf.bpf.LoadedObject bpf) {
            // umark runs on (the default 1000 rounds) but its stream is read only for pid 1: none arrive
            assertThat(events.fromProcess(1)).awaitAtMost(Duration.ofSeconds(20)).hasExactly(0,
                    Duration.ofMillis(300));
        }
    }

    @EbpfTest(objects = "bpf/usdt.bpf.o")
    static class CleanExitTestCases {
        @Test
        @AttachUsdt(program = "func_usdt1", probe = "groupa:probe1")
        void waitsForElevenFromATargetThatEnds(
                @Launch(args = {"--count", "2", "--interval", "20"}, release = true) TargetProcess umark,
                @Events EventStream<UsdtEvent> events) {
            assertThat(events).awaitAtMost(Duration.ofSeconds(30)).anySatisfy(e -> assertThat(e.arg1()).isEqualTo(11));
        }
    }

    @EbpfTest(objects = "bpf/usdt.bpf.o")
    static class ExaminedOnceTestCases {
        @Test
        @AttachUsdt(program = "func_usdt1", probe = "groupa:probe1")
        void eachEventIsExaminedOnce(@Launch(args = {"--count", "40", "--interval", "10"}, release = true)
                                     TargetProcess umark, @Events EventStream<UsdtEvent> events) {
            java.util.List<UsdtEvent> examined = new java.util.ArrayList<>();
            UsdtEvent thirtieth = events.awaitFirst("examined 30th", e -> {
                examined.add(e);
                return examined.size() == 30;
            }, Duration.ofSeconds(20));
            // a polling wait re-examines the whole buffer at every poll: the 30th call comes early, on an old event
            assertThat(java.util.Set.copyOf(examined)).as("distinct events examined").hasSize(30);
            assertThat(events.snapshot().indexOf(thirtieth)).isEqualTo(29);
            assertThat(events.awaitCount(40, Duration.ofSeconds(20))).hasSize(40);
        }

        @Test
        @AttachUsdt(program = "func_usdt1", probe = "groupa:probe1")
        void aWaitThatStartsAfterTheEndSeesEveryEvent(@Launch(args = {"--count", "150", "--interval", "1"},
                release = true) TargetProcess umark, @Events EventStream<UsdtEvent> events) {
            assertThat(umark.waitFor(Duration.ofSeconds(20))).as("umark exited").isTrue();
            assertThat(events.awaitCount(150, Duration.ofSeconds(20))).hasSize(150);
            // a wait copies new events in batches smaller than 150: the producer's end must not stop it
            // while events it has not examined are kept
            java.util.List<UsdtEvent> examined = new java.util.ArrayList<>();
            UsdtEvent last = events.awaitFirst("examined 150th", e -> examined.add(e) && examined.size() == 150,
                    Duration.ofSeconds(20));
            assertThat(java.util.Set.copyOf(examined)).as("distinct events examined").hasSize(150);
            assertThat(last).isEqualTo(events.snapshot().get(149));
        }
    }

    @EbpfTest(objects = "bpf/usdt.bpf.o")
    static class BadInputTestCases {
        @Test
        void wrongCountsAndDurationsSayWhich(@Events EventStream<UsdtEvent> events) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> events.awaitExactly(-1, Duration.ZERO,
                    Duration.ZERO)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative count -1");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> assertThat(events).hasExactly(1,
                    Duration.ofMillis(-5))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("negative quiet period");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> events.awaitFirst("x", e -> true,
                    Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("negative timeout");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> events.producedBy(null))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("end");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> events.awaitFirstSatisfying("x", null,
                    Duration.ZERO)).isInstanceOf(NullPointerException.class).hasMessageContaining("requirements");
        }
    }

    @Test
    void wrongInputToTheNewWaitsFailsClearly() {
        EngineExecutionResults results = FailurePathsTest.run(BadInputTestCases.class, Map.of());
        assertThat(FailurePathsTest.failures(results)).isEmpty();
        assertThat(results.testEvents().succeeded().count()).isEqualTo(1);
    }

    @Test
    void aWaitExaminesEachEventOnceInArrivalOrder() {
        EngineExecutionResults results = FailurePathsTest.run(ExaminedOnceTestCases.class, Map.of());
        assertThat(FailurePathsTest.failures(results)).isEmpty();
        assertThat(results.testEvents().succeeded().count()).isEqualTo(2);
    }

    @Test
    void anySatisfyQuotesTheRequirementsOwnErrorThenTheEventsOnce() {
        List<String> messages = FailurePathsTest.failures(FailurePathsTest.run(RequirementTestCases.class,
                Map.of("junit.jupiter.testmethod.order.default", "org.junit.jupiter.api.MethodOrderer$MethodName")));
        assertThat(messages).hasSize(2);
        String any = messages.stream().filter(m -> m.contains("Timed out")).findFirst().orElseThrow();
        assertThat(any).contains("Timed out after 600 ms waiting for an event satisfying the requirements",
                "failed the requirements with:", "[arg1]", "expected: 11", "but was: 10", "arg1=10");
        assertThat(any.indexOf("expected: 11")).as("the requirement before the events")
                .isLessThan(any.indexOf(STREAM));
        assertThat(occurrences(any, EventStream.RECENT_HEADER + STREAM)).as("the events are shown once").isEqualTo(1);

        String all = messages.stream().filter(m -> m.contains("every event")).findFirst().orElseThrow();
        assertThat(all).contains("event #0 of", "expected: 11", "but was: 10");
        assertThat(occurrences(all, EventStream.RECENT_HEADER + STREAM)).isEqualTo(1);
    }

    @Test
    void anExactCountSucceedsOnlyWhenNoMoreArriveUntilTheTargetEndedOrAQuietPeriod() {
        EngineExecutionResults results = FailurePathsTest.run(ExactTestCases.class, Map.of());
        assertThat(results.testEvents().succeeded().list()).extracting(e -> e.getTestDescriptor().getDisplayName())
                .containsExactlyInAnyOrder("threeOfThree(TargetProcess, EventStream)",
                        "threeWhileRunningThenQuiet(TargetProcess, EventStream, LoadedObject)");
        assertThat(FailurePathsTest.failures(results)).singleElement().satisfies(m -> assertThat(m)
                .contains("Expecting exactly 3 events but event #4 arrived", "arg1=10"));
    }

    @Test
    void aWaitEndsAsSoonAsTheTargetExitedCleanlyAndItsRecordsWereRead() {
        long start = System.nanoTime();
        List<String> messages = FailurePathsTest.failures(FailurePathsTest.run(CleanExitTestCases.class, Map.of()));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(messages).singleElement().satisfies(m -> assertThat(m).contains(
                "Stopped waiting for an event satisfying the requirements", "ended: exited with 0",
                "the records it wrote were read", "cannot succeed any more", "expected: 11", "arg1=10"));
        assertThat(took).as("far less than the wait's 30 s").isLessThan(Duration.ofSeconds(15));
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            count++;
        }
        return count;
    }
}
