package io.junitebpf.it;

import io.junitebpf.btf.Btf;
import io.junitebpf.event.CStruct;
import io.junitebpf.event.EventStream;
import io.junitebpf.event.LayoutException;
import io.junitebpf.event.RecordLayout;
import io.junitebpf.it.generated.ProbeExecveBpf;
import io.junitebpf.it.generated.TraceExecveBpf;
import io.junitebpf.it.generated.UprobeBpf;
import io.junitebpf.it.generated.UsdtBpf;
import io.junitebpf.junit.AutoAttach;
import io.junitebpf.junit.EbpfTest;
import io.junitebpf.junit.Events;
import io.junitebpf.junit.Launch;
import io.junitebpf.target.TargetProcess;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

import static io.junitebpf.junit.EbpfAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The records junit-ebpf-maven-plugin's generate-records wrote for the shipped objects (see this module's
 * pom) pass the same BTF check as hand-written ones, and decode live events.
 */
@EbpfTest(objects = UprobeBpf.OBJECT)
class GeneratedRecordsTest {

    @Test
    void everyGeneratedEventRecordMatchesItsStructInTheSameBtf() throws IOException {
        assertThat(RecordLayout.of(UprobeBpf.UprobeEvent.class, btf(UprobeBpf.OBJECT)).size()).isEqualTo(96);
        assertThat(RecordLayout.of(UsdtBpf.UsdtEvent.class, btf(UsdtBpf.OBJECT)).struct().name())
                .isEqualTo("usdt_event");
        assertThat(RecordLayout.of(TraceExecveBpf.ExecveEvent.class, btf(TraceExecveBpf.OBJECT)).size())
                .isEqualTo(RecordLayout.of(ProbeExecveBpf.ExecveEvent.class, btf(ProbeExecveBpf.OBJECT)).size());
    }

    record Missing(int x) {}

    @CStruct("uprobe_event")
    record Narrow(int x) {}

    @Test
    void handWrittenRecordsAreStillCheckedAndAMissingStructNamesTheMacro() throws IOException {
        Btf btf = btf(UprobeBpf.OBJECT);
        assertThatThrownBy(() -> RecordLayout.of(Narrow.class, btf)).isInstanceOf(LayoutException.class)
                .hasMessageContaining("is narrower than the C unsigned 8-byte integer");
        assertThatThrownBy(() -> RecordLayout.of(Missing.class, btf)).isInstanceOf(LayoutException.class)
                .hasMessageContaining("no struct 'missing'")
                .hasMessageEndingWith("keep a struct that is only written to a ring buffer in BTF with"
                        + " JUNIT_EBPF_EVENT(struct missing) from junit_ebpf.h)");
    }

    @Test
    @AutoAttach(program = "func_uprobe2")
    @AutoAttach(program = "func_uretprobe2")
    void aGeneratedRecordDecodesLiveEvents(@Launch(release = true) TargetProcess umark,
                                           @Events EventStream<UprobeBpf.UprobeEvent> events) {
        EventStream<UprobeBpf.UprobeEvent> mine = events.fromProcess(umark.pid());
        UprobeBpf.UprobeEvent call = mine.awaitFirst("func_uprobe2 entry", e -> e.name().equals("func_uprobe2"),
                Duration.ofSeconds(10));
        assertThat(call.task().tgid()).isEqualTo((long) umark.pid());
        assertThat(call.task().comm()).isEqualTo("umark");
        assertThat(mine).anySatisfy(e -> {
            assertThat(e.name()).isEqualTo("func_uretprobe2");
            assertThat(e.ret()).isEqualTo(call.x() + call.y());
        });
    }

    private static Btf btf(String resource) throws IOException {
        try (InputStream in = GeneratedRecordsTest.class.getClassLoader().getResourceAsStream(resource)) {
            return Btf.parse(resource, in.readAllBytes());
        }
    }
}
