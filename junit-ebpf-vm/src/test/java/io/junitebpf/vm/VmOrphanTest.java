package io.junitebpf.vm;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A VM outlives no test JVM: a forked JVM ({@link VmOrphanScenario}) boots a guest, starts a test in it and is
 * killed with SIGKILL in the middle of that test (a Surefire fork timeout, an IDE's stop button); within seconds
 * QEMU and the script that booted it are gone, stopped by the boot script's watch on the JVM.
 */
class VmOrphanTest {

    /** The boot script looks at its JVM once a second; QEMU then stops on SIGTERM. */
    private static final Duration DEADLINE = Duration.ofSeconds(15);
    /** Preparing a kernel on a cold machine (download, initramfs) and booting it under TCG. */
    private static final Duration BOOT_DEADLINE = Duration.ofMinutes(10);

    @Test
    void aJvmKilledWithSigkillInTheMiddleOfAGuestTestLeavesNoQemu() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path log = Files.createTempFile("vm-orphan-scenario-", ".log");
        List<String> children = new ArrayList<>();
        List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path")));
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("junit.ebpf.")).sorted()
                .forEach(k -> command.add("-D" + k + "=" + System.getProperty(k))); // the cache, the accelerator
        command.add(VmOrphanScenario.class.getName());
        Process jvm = new ProcessBuilder(command).redirectError(log.toFile()).start();
        boolean ready = false;
        // a scenario that never says ready is killed, and its stderr then says why
        CompletableFuture<Void> bootWatch = CompletableFuture.runAsync(jvm::destroyForcibly,
                CompletableFuture.delayedExecutor(BOOT_DEADLINE.toSeconds(), TimeUnit.SECONDS));
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(),
                    StandardCharsets.UTF_8));
            for (String line; !ready && (line = out.readLine()) != null; ) {
                if (line.startsWith("child ")) {
                    children.add(line.substring("child ".length()));
                }
                ready = line.equals("ready");
            }
            bootWatch.cancel(false);
            if (!ready) { // the scenario ended without booting: its stderr says why
                jvm.waitFor(30, TimeUnit.SECONDS);
                List<String> err = Files.readAllLines(log);
                assertThat(ready).as("the scenario booted a guest (scenario %s; its stderr ends: %s)",
                        jvm.isAlive() ? "still running" : "exited with " + jvm.exitValue(),
                        String.join(" | ", err.subList(Math.max(0, err.size() - 8), err.size()))).isTrue();
            }
            assertThat(children).as("the scenario's processes").anySatisfy(c -> assertThat(c).contains("qemu-system"));
            assertThat(children).allSatisfy(c -> assertThat(ProcStat.alive(pid(c))).as("%s before the kill", c).isTrue());
            Thread.sleep(3000); // time for the waiting test to reach the guest's JVM: the kill comes while it runs
        } finally {
            jvm.destroyForcibly(); // SIGKILL: no shutdown hook, no close runs
            assertThat(jvm.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        long killed = System.nanoTime();
        while (System.nanoTime() - killed < DEADLINE.toNanos() && children.stream().anyMatch(c -> ProcStat.alive(pid(c)))) {
            Thread.sleep(100);
        }
        System.out.printf("VmOrphanTest: the scenario's processes gone %d ms after its JVM's death%n",
                (System.nanoTime() - killed) / 1_000_000);
        List<String> left = children.stream().filter(c -> ProcStat.alive(pid(c))).toList();
        left.forEach(c -> ProcessHandle.of(pid(c)).ifPresent(ProcessHandle::destroyForcibly)); // not for the next test
        assertThat(left).as("the scenario's processes alive %s after its JVM's death", DEADLINE).isEmpty();
        Files.deleteIfExists(log);
    }

    private static long pid(String child) {
        return Long.parseLong(child.substring(0, child.indexOf(' ')));
    }
}
