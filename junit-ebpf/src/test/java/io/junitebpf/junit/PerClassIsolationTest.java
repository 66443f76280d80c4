package io.junitebpf.junit;

import io.junitebpf.bpf.LoadedObject;
import io.junitebpf.event.EventStream;
import io.junitebpf.junit.SeedEvents.UsdtEvent;
import io.junitebpf.target.TargetProcess;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.time.Duration;

import static io.junitebpf.junit.EbpfAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * PER_CLASS shares the loaded object, not the tests' own things: each test still gets its own target,
 * its own declared (per-pid) link and its own stream, all closed after it.
 */
@EbpfTest(objects = "bpf/usdt.bpf.o", lifecycle = EbpfTest.Lifecycle.PER_CLASS, strict = EbpfTest.Strictness.STRICT)
@Execution(ExecutionMode.SAME_THREAD)
class PerClassIsolationTest {

    private static LoadedObject shared;

    @RepeatedTest(3)
    @AttachUsdt(program = "func_usdt1", probe = "groupa:probe1")
    void eachTestHasItsOwnTargetLinkAndStream(LoadedObject bpf, @Launch(release = true) TargetProcess umark,
                                              @Events EventStream<UsdtEvent> events) {
        if (shared == null) {
            shared = bpf;
        }
        assertThat(bpf).isSameAs(shared);
        events.awaitCount(3, Duration.ofSeconds(10));
        assertThat(events.snapshot()).allSatisfy(e -> assertThat(e.task().tgid()).isEqualTo(umark.pid()));
        assertThat(events).hasNoLostEvents();
    }
}
