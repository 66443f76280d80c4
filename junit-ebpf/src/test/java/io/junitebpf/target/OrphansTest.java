package io.junitebpf.target;

import io.junitebpf.bpf.KernelObjects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nothing outlives the test JVM: a forked JVM ({@link OrphanScenario}) launches
 * targets in every gate and attaches a program, and is killed with SIGKILL — what a
 * Surefire fork timeout, an IDE's stop button or a cancelled CI job does. Within a few
 * seconds none of its processes may be left (running, stopped, or the watchdog), none of
 * the programs it loaded may still be in the kernel (checked by id), and its on-death
 * command must have run.
 */
class OrphansTest {

    private static final Duration DEADLINE = Duration.ofSeconds(5);

    @Test
    void aJvmKilledWithSigkillLeavesNoProcessNoProgramAndRunsItsCommands(@TempDir Path dir) throws Exception {
        Path marker = dir.resolve("reaped");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process jvm = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), OrphanScenario.class.getName(), marker.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<Long> pids = new ArrayList<>();
        List<Integer> programs = new ArrayList<>();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(),
                    StandardCharsets.UTF_8));
            for (String line; (line = out.readLine()) != null && !line.equals("ready"); ) {
                if (line.startsWith("pid ")) {
                    pids.add(Long.parseLong(line.substring(4)));
                } else if (line.startsWith("program ")) {
                    programs.add(Integer.parseInt(line.substring(8)));
                }
            }
            assertThat(pids).as("the scenario's targets and watchdog").hasSize(4);
            assertThat(programs).as("the scenario's loaded programs").isNotEmpty();
            assertThat(pids).allSatisfy(pid -> assertThat(alive(pid)).as("pid %d before the kill", pid).isTrue());
            assertThat(state(pids.get(1))).as("the STOPPED target").isEqualTo('T');
        } finally {
            jvm.destroyForcibly(); // SIGKILL: no shutdown hook, no finally, no close runs
            assertThat(jvm.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < deadline && (pids.stream().anyMatch(OrphansTest::alive)
                || programs.stream().anyMatch(id -> KernelObjects.program(id).isPresent())
                || !Files.exists(marker))) {
            Thread.sleep(20);
        }
        assertThat(pids).as("processes the killed JVM started").allSatisfy(pid ->
                assertThat(alive(pid)).as("pid %d (%s) %s after the JVM's death", pid, command(pid), DEADLINE)
                        .isFalse());
        assertThat(programs).as("programs the killed JVM loaded").allSatisfy(id ->
                assertThat(KernelObjects.program(id)).as("program id %d", id).isEmpty());
        assertThat(marker).as("the command registered with Reaper.onDeath ran").exists();
    }

    @Test
    void anOnDeathCommandRefusesWhatOneLineCannotCarry() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Reaper.onDeath(List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty command");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Reaper.onDeath(List.of("echo", "a\nb")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("newline");
    }

    /** Alive: exists and is not a zombie waiting for init to reap it. */
    private static boolean alive(long pid) {
        char state = state(pid);
        return state != 0 && state != 'Z' && state != 'X';
    }

    private static char state(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2);
        } catch (IOException e) {
            return 0;
        }
    }

    private static String command(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ').trim();
        } catch (IOException e) {
            return "gone";
        }
    }
}
