package io.junitebpf.vm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How guest.sh's boot watches the test JVM: by its pid and its start time, so that a pid freed by the JVM's death
 * and given to another process does not keep QEMU running. No guest boots; QEMU is a stand-in that sleeps.
 */
class GuestWatchTest {

    @TempDir
    Path dir;

    @Test
    void startTicksNamesALiveProcessByItsStartAndNothingForOneGoneOrDead() throws Exception {
        Process live = new ProcessBuilder("sleep", "30").start();
        // a zombie: its parent exec'd into a sleep that never reaps it
        Process parent = new ProcessBuilder("sh", "-c", "sleep 0.1 & echo $!; exec sleep 30").start();
        try {
            long zombie = Long.parseLong(new BufferedReader(new InputStreamReader(parent.getInputStream(),
                    StandardCharsets.UTF_8)).readLine().strip());
            long gone = new ProcessBuilder("true").start().onExit().get().pid();
            Thread.sleep(400); // the zombie's sleep is over
            String expected = ProcStat.of(live.pid()).orElseThrow().startTicks();

            List<String> out = GuestShell.run(dir, "x86_64", """
                    echo "live=[$(start_ticks %d)] gone=[$(start_ticks %d)] zombie=[$(start_ticks %d)]"
                    """.formatted(live.pid(), gone, zombie));

            assertThat(ProcStat.of(zombie).orElseThrow().state()).isEqualTo('Z');
            assertThat(out).containsExactly("live=[" + expected + "] gone=[] zombie=[]");
        } finally {
            live.destroyForcibly();
            parent.destroyForcibly();
        }
    }

    @Test
    void aWatchedPidThatNamesAnotherProcessNowStopsQemu() throws Exception {
        Path qemu = dir.resolve("qemu");
        Files.writeString(qemu, "#!/bin/bash\nexec sleep 30\n");
        qemu.toFile().setExecutable(true);
        List<String> out = GuestShell.run(dir, "x86_64", """
                qemu_binary() { echo %1$s/qemu; }
                guest_qemu_args() { QEMU_ARGS=(); }
                # the watched pid (this shell's, alive throughout) first answered by the JVM, then, once the JVM died,
                # by a later process given that pid
                start_ticks() { if [[ -e %1$s/reused ]]; then echo 200; else echo 100; fi; }
                ( sleep 1.5; touch %1$s/reused ) &
                SECONDS=0
                boot_guest /g /share guest /share/serial.log 2G 1 tcg max %1$s/qemu.pid $$ || echo "status $?"
                echo "returned after ${SECONDS} s"
                """.formatted(dir));

        assertThat(out).anySatisfy(l -> assertThat(l).contains("that started this guest is gone; stopping QEMU"))
                .anySatisfy(l -> assertThat(l).matches("returned after [0-9] s"));
    }

    @Test
    void aJvmGoneBeforeTheBootStartsNoQemu() throws Exception {
        long gone = new ProcessBuilder("true").start().onExit().get().pid();

        List<String> out = GuestShell.run(dir, "x86_64", """
                qemu_binary() { echo "qemu started" >&2; echo false; }
                boot_guest /g /share guest /share/serial.log 2G 1 tcg max %s/qemu.pid %d || echo "status $?"
                """.formatted(dir, gone));

        assertThat(out).contains("status 1").noneMatch(l -> l.contains("qemu started"))
                .anySatisfy(l -> assertThat(l).contains("the JVM " + gone + " that asked for this guest is gone"));
    }
}
