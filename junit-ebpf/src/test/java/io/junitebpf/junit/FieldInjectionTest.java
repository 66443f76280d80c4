package io.junitebpf.junit;

import io.junitebpf.bpf.BpfMap;
import io.junitebpf.bpf.Program;
import io.junitebpf.event.EventStream;
import io.junitebpf.junit.SeedEvents.UsdtEvent;
import io.junitebpf.target.TargetProcess;
import org.junit.jupiter.api.Test;

import static io.junitebpf.junit.EbpfAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/** Fields are injected like parameters, fresh for every test. */
@EbpfTest(objects = "bpf/usdt.bpf.o")
class FieldInjectionTest {

    @Bpf("func_usdt2")
    Program probe2;

    @Bpf("events")
    BpfMap ring;

    @Launch
    TargetProcess umark;

    @Events
    EventStream<UsdtEvent> events;

    @Test
    void fieldsAreInjectedAndWork() {
        assertThat(ring.type()).isEqualTo(io.junitebpf.bpf.MapType.RINGBUF);
        probe2.attachUsdt(io.junitebpf.bpf.Usdt.of(umark.executable(), "groupb", "probe2").withPid(umark.pid()));
        umark.release();
        assertThat(events).anySatisfy(e -> {
            assertThat(e.arg1()).isEqualTo(20);
            assertThat(e.arg2()).isEqualTo(30);
            assertThat(e.task().tgid()).isEqualTo(umark.pid());
        });
    }
}
