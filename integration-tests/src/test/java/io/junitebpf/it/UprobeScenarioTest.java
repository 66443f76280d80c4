package io.junitebpf.it;

import io.junitebpf.bpf.ProcessEnvironment;
import io.junitebpf.bpf.Program;
import io.junitebpf.bpf.Uprobe;
import io.junitebpf.demo.SeedEvents.UprobeEvent;
import io.junitebpf.elf.ElfFile;
import io.junitebpf.event.EventStream;
import io.junitebpf.junit.AutoAttach;
import io.junitebpf.junit.Bpf;
import io.junitebpf.junit.EbpfTest;
import io.junitebpf.junit.Events;
import io.junitebpf.junit.Launch;
import io.junitebpf.target.TargetProcess;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static io.junitebpf.it.SeedAssertions.assertMonotonic;
import static io.junitebpf.it.SeedAssertions.assertTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The seed's uprobe_test: func_uprobe1 attached by a file offset computed from
 * umark's ELF (the seed's get_elf_func_offset), func_uprobe2 attached where its
 * SEC("uprobe/umark:func_uprobe2") says. umark is released only after the
 * probes are in, so its first iteration (i = 0) is the first event, and each
 * call is checked against what umark itself printed for it.
 */
@EbpfTest(objects = "bpf/uprobe.bpf.o", strict = EbpfTest.Strictness.STRICT)
class UprobeScenarioTest {

    private static final int ROUNDS = 3;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void funcUprobe1EntryAndReturnThroughAnExplicitFileOffset(@Bpf("func_uprobe1") Program entry,
                                                              @Bpf("func_uretprobe1") Program exit,
                                                              @Launch TargetProcess umark,
                                                              @Events EventStream<UprobeEvent> events) {
        long offset = ElfFile.read(umark.executable()).fileOffset("func_uprobe1");
        Uprobe site = Uprobe.offset(umark.executable(), offset).withPid(umark.pid());
        entry.attachUprobe(site);
        exit.attachUprobe(site.returning());
        Launcher launcher = Launcher.current();
        long released = System.nanoTime();
        umark.release();

        EventStream<UprobeEvent> mine = events.fromProcess(umark.pid());
        List<UprobeEvent> calls = mine.awaitCount(2 * ROUNDS, TIMEOUT);
        List<String> printed = printed(umark, "hit uprobe1 ", ROUNDS);
        for (int i = 0; i < ROUNDS; i++) {
            UprobeEvent in = calls.get(2 * i);
            UprobeEvent out = calls.get(2 * i + 1);
            assertThat(in.name()).as("call %d: entry event", i).isEqualTo("func_uprobe1");
            assertThat(in.x()).as("call %d: func_uprobe1 x (umark's i)", i).isEqualTo(i);
            assertThat(out.name()).as("call %d: return event", i).isEqualTo("func_uretprobe1");
            assertThat(out.ret()).as("call %d: func_uretprobe1 return value (x + 1, x = %d)", i, in.x())
                    .isEqualTo(in.x() + 1);
            assertThat(printed.get(i)).as("call %d: what umark printed for it", i)
                    .isEqualTo("hit uprobe1 " + out.ret());
            assertTask(in.name(), in.task(), umark, "umark", launcher, released);
            assertTask(out.name(), out.task(), umark, "umark", launcher, released);
        }
        assertMonotonic(calls, UprobeEvent::task);
    }

    @Test
    @AutoAttach(program = "func_uprobe2")
    @AutoAttach(program = "func_uretprobe2")
    void funcUprobe2ArgumentsAndReturnThroughItsSection(@Launch TargetProcess umark,
                                                        @Events EventStream<UprobeEvent> events) {
        // SEC() names "umark" without a directory: libbpf searched PATH, where the extension put the
        // umark it built (nobody installed one in /usr/bin); events from this pid show it found that one.
        assertThat(Arrays.asList(ProcessEnvironment.path().split(":")))
                .as("native PATH libbpf resolves SEC(\"uprobe/umark:...\") through")
                .contains(umark.executable().getParent().toString());
        Launcher launcher = Launcher.current();
        long released = System.nanoTime();
        umark.release();

        EventStream<UprobeEvent> mine = events.fromProcess(umark.pid());
        List<UprobeEvent> calls = mine.awaitCount(2 * ROUNDS, TIMEOUT);
        List<String> printed = printed(umark, "hit uprobe2 ", ROUNDS);
        for (int i = 0; i < ROUNDS; i++) {
            UprobeEvent in = calls.get(2 * i);
            UprobeEvent out = calls.get(2 * i + 1);
            assertThat(in.name()).as("call %d: entry event", i).isEqualTo("func_uprobe2");
            assertThat(in.x()).as("call %d: func_uprobe2 x (i + 3)", i).isEqualTo(i + 3);
            assertThat(in.y()).as("call %d: func_uprobe2 y (i + 8)", i).isEqualTo(i + 8);
            assertThat(out.name()).as("call %d: return event", i).isEqualTo("func_uretprobe2");
            assertThat(out.ret()).as("call %d: func_uretprobe2 return value (x + y = %d + %d)", i, in.x(), in.y())
                    .isEqualTo(in.x() + in.y());
            assertThat(printed.get(i)).as("call %d: what umark printed for it", i)
                    .isEqualTo("hit uprobe2 " + out.ret());
            assertTask(in.name(), in.task(), umark, "umark", launcher, released);
            assertTask(out.name(), out.task(), umark, "umark", launcher, released);
        }
        assertMonotonic(calls, UprobeEvent::task);
    }

    /** The first {@code count} lines umark printed starting with {@code prefix}, once it printed them. */
    private static List<String> printed(TargetProcess umark, String prefix, int count) {
        await("umark printing " + count + " '" + prefix + "...' lines").atMost(TIMEOUT)
                .failFast("umark exited before printing them", () -> !umark.isAlive())
                .until(() -> umark.stdout().stream().filter(l -> l.startsWith(prefix)).count() >= count);
        return umark.stdout().stream().filter(l -> l.startsWith(prefix)).limit(count).toList();
    }
}
