package io.junitebpf.target;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Targets with wrong input: each a clear error, and nothing left running. */
class TargetBadInputTest {

    @Test
    void launchingAMissingOrNonExecutableFileSaysWhich(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> TargetProcess.launch(dir.resolve("nope"), List.of(), TargetProcess.Gate.NONE))
                .isInstanceOf(TargetException.class).hasMessageContaining("no such file");
        Path text = Files.writeString(dir.resolve("notes.txt"), "hello");
        assertThatThrownBy(() -> TargetProcess.launch(text, List.of(), TargetProcess.Gate.STOPPED))
                .isInstanceOf(TargetException.class).hasMessageContaining("not an executable file");
    }

    @Test
    void aBuildRefusesBadNamesAndEmptySources() {
        byte[] source = "int main(void) { return 0; }\n".getBytes(StandardCharsets.UTF_8);
        for (String bad : new String[] {"", " ", "a/b", ".", ".."}) {
            assertThatThrownBy(() -> NativeBuild.of(bad, source, List.of()))
                    .as("name '%s'", bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("invalid executable name");
        }
        assertThatThrownBy(() -> NativeBuild.of("empty", new byte[0], List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty C source");
        assertThatThrownBy(() -> NativeBuild.ofResource("ghost", "targets/ghost.c", List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no classpath resource");
    }

    @Test
    void umarkRefusesNegativeCountsAndIntervals() {
        assertThatThrownBy(() -> Umark.launchGated(-1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative count");
        assertThatThrownBy(() -> Umark.launchGated(1, Duration.ofMillis(-5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative interval");
    }

    @Test
    void umarkItselfRejectsBadOptionsWithExitTwo() {
        try (TargetProcess umark = TargetProcess.launch(Umark.executable(), List.of("--interval", "soon"),
                TargetProcess.Gate.NONE)) {
            assertThat(umark.waitFor(Duration.ofSeconds(10))).isTrue();
            assertThat(umark.exitCode()).hasValue(2);
            assertThat(umark.describeExit()).contains("exited with 2", "--interval wants a non-negative integer");
        }
    }

    @Test
    void aTargetNeverReleasedSaysSoWhereAWaitReportsIt() {
        try (TargetProcess sleep = TargetProcess.launch(Path.of("/bin/sleep"), List.of("30"),
                TargetProcess.Gate.STOPPED)) {
            // what a timed-out wait for its events prints: the forgotten release, not a bare "running"
            assertThat(sleep.describeExit()).contains("still held at its gate, never released",
                    "@Launch(release = true)");
            sleep.release();
            assertThat(sleep.describeExit()).isEqualTo("still running");
        }
    }

    @Test
    void closingAGatedTargetLeavesNothingRunning() {
        TargetProcess umark = Umark.launchGated(5, Duration.ZERO);
        int pid = umark.pid();
        umark.close(); // kills it: nothing of it stays behind
        assertThat(umark.isAlive()).isFalse();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }
}
