package io.junitebpf.target;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The threads copying a target's output run in the background (nice 10, per thread): woken with each line a
 * chatty target writes, they must not hold up the test's own threads when cores are short. Read back from the
 * kernel's view of this JVM's threads.
 */
class OutputPumpTest {

    @Test
    void aTargetsOutputPumpsRunNiceAndTheTestThreadDoesNot() throws Exception {
        int before = nice(Path.of("/proc/thread-self/stat"));
        try (TargetProcess sleeper = TargetProcess.launch(Path.of("/bin/sleep"), List.of("30"),
                TargetProcess.Gate.NONE)) {
            // the JVM names each thread in the kernel after the Java thread (at most 15 characters); each
            // pump sets its nice value as it starts, so look until both have or the time is up
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            Map<String, Integer> pumps = pumps();
            while (!pumps.equals(Map.of("sleep-stdout", 10, "sleep-stderr", 10)) && System.nanoTime() < deadline) {
                Thread.sleep(10);
                pumps = pumps();
            }
            assertThat(pumps).containsExactlyInAnyOrderEntriesOf(Map.of("sleep-stdout", 10, "sleep-stderr", 10));
            assertThat(sleeper.isAlive()).isTrue();
        }
        assertThat(nice(Path.of("/proc/thread-self/stat"))).as("the test thread's nice value").isEqualTo(before);
    }

    /** This JVM's threads named after the sleep target's output, with their nice values. */
    private static Map<String, Integer> pumps() throws IOException {
        Map<String, Integer> found = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String name = Files.readString(task.resolve("comm")).strip();
                    if (name.startsWith("sleep-")) {
                        found.put(name, nice(task.resolve("stat")));
                    }
                } catch (IOException | UncheckedIOException gone) {
                    // a thread that ended meanwhile
                }
            }
        }
        return found;
    }

    /** Field 19 of a task's stat line, counted after the parenthesised name (which may hold spaces). */
    private static int nice(Path stat) throws IOException {
        String line = Files.readString(stat);
        String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[19 - 3]);
    }
}
