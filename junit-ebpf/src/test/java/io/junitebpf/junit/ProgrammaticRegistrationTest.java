package io.junitebpf.junit;

import io.junitebpf.bpf.LoadedObject;
import io.junitebpf.event.EventStream;
import io.junitebpf.junit.SeedEvents.UsdtEvent;
import io.junitebpf.target.TargetProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.junitebpf.junit.EbpfAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/** The same as @EbpfTest, registered with a builder; PER_CLASS keeps one load for all tests. */
class ProgrammaticRegistrationTest {

    @RegisterExtension
    static final Ebpf EBPF = Ebpf.builder().objects("bpf/usdt.bpf.o").perClass().strict().build();

    private static LoadedObject first;

    @Test
    @AttachUsdt(program = "func_usdt1", probe = "groupa:probe1")
    void declaredAttachWorksThroughTheBuilder(LoadedObject bpf, @Launch(release = true) TargetProcess umark,
                                              @Events EventStream<UsdtEvent> events) {
        checkSameObject(bpf);
        assertThat(events.fromProcess(umark.pid())).anySatisfy(e -> assertThat(e.arg1()).isEqualTo(10));
    }

    @Test
    void perClassSharesTheLoadedObject(LoadedObject bpf) {
        checkSameObject(bpf);
        assertThat(bpf.closed()).isFalse();
    }

    private static synchronized void checkSameObject(LoadedObject bpf) {
        if (first == null) {
            first = bpf;
        }
        assertThat(bpf).isSameAs(first);
    }
}
