package io.junitebpf.it;

import io.junitebpf.demo.SeedEvents.TaskInfo;
import io.junitebpf.target.TargetProcess;

import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks of the article's common fields, shared by every scenario. */
final class SeedAssertions {

    private SeedAssertions() {
    }

    /**
     * The event was fired by {@code target}, named {@code comm}, child of
     * {@code launcher}, with a CLOCK_MONOTONIC timestamp inside the window
     * from {@code notBeforeNs} to now (System.nanoTime reads the same clock as
     * bpf_ktime_get_ns on Linux).
     */
    static void assertTask(String event, TaskInfo task, TargetProcess target, String comm, Launcher launcher,
                           long notBeforeNs) {
        long now = System.nanoTime();
        assertThat(task.tgid()).as("%s: tgid (the launched %s)", event, target).isEqualTo(target.pid());
        assertThat(task.comm()).as("%s: comm", event).isEqualTo(comm);
        assertThat(task.ppid()).as("%s: ppid (this JVM)", event).isEqualTo(launcher.pid());
        assertThat(task.parentComm()).as("%s: parent comm (the JVM thread that launched %s)", event, target)
                .isEqualTo(launcher.threadComm());
        assertThat(task.uid()).as("%s: uid (this JVM's)", event).isEqualTo(launcher.uid());
        assertThat(task.timestampNs()).as("%s: timestamp_ns (CLOCK_MONOTONIC, after the release at %d, before now %d)",
                event, notBeforeNs, now).isBetween(notBeforeNs, now);
    }

    /** The events' timestamps strictly increase in the order the ring buffer delivered them. */
    static <T> void assertMonotonic(List<T> events, Function<T, TaskInfo> task) {
        for (int i = 1; i < events.size(); i++) {
            assertThat(task.apply(events.get(i)).timestampNs())
                    .as("timestamp of event #%d %s after #%d %s", i, events.get(i), i - 1, events.get(i - 1))
                    .isGreaterThan(task.apply(events.get(i - 1)).timestampNs());
        }
    }
}
