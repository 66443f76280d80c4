package io.junitebpf.junit;

import io.junitebpf.target.TargetProcess;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What strict mode covers: besides {@link Launch} targets, a process the test method
 * started itself with {@code TargetProcess.launch} — on its own thread or one it
 * started — fails the test when left running, and is killed.
 */
class StrictModeTest {

    // one list per case class: the two tests below may run at the same time (parallel execution)
    static final List<TargetProcess> LAUNCHED = new CopyOnWriteArrayList<>();
    static final List<TargetProcess> LENIENT_LAUNCHED = new CopyOnWriteArrayList<>();

    @EbpfTest(strict = EbpfTest.Strictness.STRICT)
    static class StrictTestCases {
        @Test
        void leavesATargetRunning() {
            LAUNCHED.add(TargetProcess.launch(Path.of("/bin/sleep"), List.of("303"), TargetProcess.Gate.STOPPED));
        }

        @Test
        void leavesATargetRunningFromItsOwnThread() throws InterruptedException {
            Thread.ofPlatform().start(() -> LAUNCHED.add(
                    TargetProcess.launch(Path.of("/bin/sleep"), List.of("304"), TargetProcess.Gate.NONE))).join();
        }

        @Test
        void closesWhatItLaunched() {
            try (TargetProcess sleep = TargetProcess.launch(Path.of("/bin/sleep"), List.of("305"),
                    TargetProcess.Gate.NONE)) {
                LAUNCHED.add(sleep);
            }
        }
    }

    @EbpfTest(strict = EbpfTest.Strictness.LENIENT)
    static class LenientTestCases {
        @Test
        void leavesATargetRunning() {
            LENIENT_LAUNCHED.add(TargetProcess.launch(Path.of("/bin/sleep"), List.of("306"), TargetProcess.Gate.NONE));
        }
    }

    @Test
    void aTargetTheTestLaunchedAndLeftRunningFailsItAndIsKilled() {
        LAUNCHED.clear();
        EngineExecutionResults results = FailurePathsTest.run(StrictTestCases.class, Map.of());
        List<String> messages = FailurePathsTest.failures(results);
        assertThat(messages).hasSize(2).allSatisfy(m -> assertThat(m)
                .contains("strict mode", "(launched by the test) was still running", "sleep[pid"));
        assertThat(results.testEvents().succeeded().count()).isEqualTo(1);
        assertThat(LAUNCHED).hasSize(3).allSatisfy(p -> assertThat(p.isAlive()).as("%s", p).isFalse());
    }

    @Test
    void outsideStrictModeSuchATargetIsTheTestsOwn() {
        LENIENT_LAUNCHED.clear();
        EngineExecutionResults results = FailurePathsTest.run(LenientTestCases.class, Map.of());
        assertThat(results.testEvents().succeeded().count()).isEqualTo(1);
        try {
            assertThat(LENIENT_LAUNCHED).singleElement().satisfies(p -> assertThat(p.isAlive()).isTrue());
        } finally {
            LENIENT_LAUNCHED.forEach(TargetProcess::close);
        }
    }
}
