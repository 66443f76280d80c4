package io.junitebpf.junit.guide;

import io.junitebpf.event.EventStream;
import io.junitebpf.junit.AttachUprobe;
import io.junitebpf.junit.AutoAttach;
import io.junitebpf.junit.EbpfTest;
import io.junitebpf.junit.Events;
import io.junitebpf.junit.Launch;
import io.junitebpf.target.TargetProcess;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.junitebpf.junit.EbpfAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

// guide:uprobe
@EbpfTest(objects = "bpf/uprobe.bpf.o")
class UprobeGuideTest {

    record TaskInfo(long timestampNs, int tgid, int ppid, int uid, String comm, String parentComm) {}
    record UprobeEvent(String name, TaskInfo task, long x, long y, long ret) {}

    @Test
    @AttachUprobe(program = "func_uprobe1", function = "func_uprobe1", byOffset = true)   // ELF offset
    @AttachUprobe(program = "func_uretprobe1", function = "func_uprobe1", retprobe = true)
    void uprobe1ReturnsItsArgumentPlusOne(@Launch(release = true) TargetProcess umark,
                                          @Events EventStream<UprobeEvent> events) {
        EventStream<UprobeEvent> mine = events.fromProcess(umark.pid());
        UprobeEvent entry = mine.awaitFirst("func_uprobe1 entry", e -> e.name().equals("func_uprobe1"),
                Duration.ofSeconds(10));
        assertThat(mine).anySatisfy(e -> {
            assertThat(e.name()).isEqualTo("func_uretprobe1");
            assertThat(e.ret()).isEqualTo(entry.x() + 1);
        });
    }

    @Test
    @AutoAttach(program = "func_uprobe2")                             // SEC("uprobe/umark:func_uprobe2")
    @AutoAttach(program = "func_uretprobe2")
    void uprobe2ArgumentsSumToItsReturnValue(@Launch(release = true) TargetProcess umark,
                                             @Events EventStream<UprobeEvent> events) {
        EventStream<UprobeEvent> mine = events.fromProcess(umark.pid());
        UprobeEvent call = mine.awaitFirst("func_uprobe2 entry", e -> e.name().equals("func_uprobe2"),
                Duration.ofSeconds(10));
        assertThat(mine).anySatisfy(e -> {
            assertThat(e.name()).isEqualTo("func_uretprobe2");
            assertThat(e.ret()).isEqualTo(call.x() + call.y());
        });
    }
}
// end:uprobe
