package io.junitebpf.it;

import io.junitebpf.demo.SeedEvents.ExecveEvent;
import io.junitebpf.event.EventStream;
import io.junitebpf.target.TargetProcess;
import io.junitebpf.target.Umark;

import java.time.Duration;
import java.util.List;

import static io.junitebpf.it.SeedAssertions.assertMonotonic;
import static io.junitebpf.it.SeedAssertions.assertTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What trace_execve and probe_execve must both report when this JVM starts
 * umark. The probe is attached before the launch (an exec cannot be gated: it
 * is the launch), and the events are those of umark's pid — the machine's
 * other execs are not ours.
 */
final class ExecveScenario {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private ExecveScenario() {
    }

    /** Launches umark and checks the event {@code name} reported for its exec. */
    static void assertReportsUmarksExec(String name, EventStream<ExecveEvent> events) {
        Launcher launcher = Launcher.current();
        long launched = System.nanoTime();
        try (TargetProcess umark = Umark.launchGated(1, Duration.ZERO)) {
            // umark prints its ready line after its exec returned; the probe fired on the way in
            await("umark's ready line").atMost(TIMEOUT)
                    .failFast("umark exited before its gate", () -> !umark.isAlive())
                    .until(() -> umark.stdout().contains("umark ready " + umark.pid()));
            EventStream<ExecveEvent> mine = events.fromProcess(umark.pid());
            mine.awaitCount(1, TIMEOUT);
            // the pid's last exec before umark ran is umark's (a spawn helper may have exec'd first)
            List<ExecveEvent> execs = mine.snapshot();
            ExecveEvent exec = execs.getLast();
            assertThat(exec.name()).as("event name").isEqualTo(name);
            assertThat(exec.filename()).as("%s: filename of the last exec of pid %d (all: %s)", name, umark.pid(),
                    execs).isEqualTo(umark.executable().toString());
            assertTask(name, exec.task(), umark, launcher.preExecComm(), launcher, launched);
            assertMonotonic(execs, ExecveEvent::task);
        }
    }
}
