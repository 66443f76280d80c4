package io.junitebpf.bpf;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The native environment's scheduling side, read back from the kernel's view of each thread. */
class ProcessEnvironmentTest {

    @Test
    void aBackgroundThreadRunsNiceAndOnlyItself() throws Exception {
        int before = niceOf(Path.of("/proc/thread-self/stat"));
        AtomicReference<Boolean> took = new AtomicReference<>();
        AtomicInteger niceAfter = new AtomicInteger(Integer.MIN_VALUE);
        Thread background = Thread.ofPlatform().start(() -> {
            took.set(ProcessEnvironment.runCurrentThreadInBackground());
            try {
                niceAfter.set(niceOf(Path.of("/proc/thread-self/stat")));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        background.join();

        assertThat(took.get()).isTrue();
        assertThat(niceAfter.get()).as("the background thread's nice value, as the kernel has it")
                .isEqualTo(ProcessEnvironment.BACKGROUND_NICE);
        assertThat(niceOf(Path.of("/proc/thread-self/stat"))).as("the calling thread's, untouched")
                .isEqualTo(before);
    }

    /** Field 19 of a task's stat line, counted after the parenthesised command name (which may hold spaces). */
    static int niceOf(Path stat) throws IOException {
        String line = Files.readString(stat);
        String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[19 - 3]);
    }
}
