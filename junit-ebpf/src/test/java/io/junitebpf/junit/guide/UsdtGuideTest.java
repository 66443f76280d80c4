package io.junitebpf.junit.guide;

import io.junitebpf.bpf.Program;
import io.junitebpf.bpf.Usdt;
import io.junitebpf.event.EventStream;
import io.junitebpf.junit.AttachUsdt;
import io.junitebpf.junit.AutoAttach;
import io.junitebpf.junit.Bpf;
import io.junitebpf.junit.EbpfTest;
import io.junitebpf.junit.Events;
import io.junitebpf.junit.Launch;
import io.junitebpf.target.TargetProcess;
import org.junit.jupiter.api.Test;

import static io.junitebpf.junit.EbpfAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

// guide:usdt
@EbpfTest(objects = "bpf/usdt.bpf.o")
class UsdtGuideTest {

    record TaskInfo(long timestampNs, int tgid, int ppid, int uid, String comm, String parentComm) {}
    record UsdtEvent(String name, TaskInfo task, long arg1, long arg2, int argCount) {}

    @Test
    @AttachUsdt(program = "func_usdt1", probe = "groupa:probe1")      // declared: attached before the body
    void probe1SeesTen(@Launch(release = true) TargetProcess umark,
                       @Events("events") EventStream<UsdtEvent> events) {
        assertThat(events.fromProcess(umark.pid()))
                .anySatisfy(e -> assertThat(e.arg1()).isEqualTo(10));
    }

    @Test
    void probe1Programmatically(@Bpf("func_usdt1") Program program, @Launch TargetProcess umark,
                                @Events EventStream<UsdtEvent> events) {
        program.attachUsdt(Usdt.of(umark.executable(), "groupa", "probe1").withPid(umark.pid()));
        umark.release();                                               // the start gate: probes first
        assertThat(events).hasAtLeast(3).hasNoLostEvents();
    }

    @Test
    @AutoAttach(program = "func_usdt2")                               // SEC("usdt/umark:groupb:probe2")
    void probe2SeesTwentyAndThirty(@Launch(release = true) TargetProcess umark,
                                   @Events EventStream<UsdtEvent> events) {
        assertThat(events.fromProcess(umark.pid())).anySatisfy(e -> {
            assertThat(e.arg1()).isEqualTo(20);
            assertThat(e.arg2()).isEqualTo(30);
        });
    }
}
// end:usdt
