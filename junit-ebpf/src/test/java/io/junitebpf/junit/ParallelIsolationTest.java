package io.junitebpf.junit;

import io.junitebpf.bpf.Program;
import io.junitebpf.bpf.Usdt;
import io.junitebpf.event.EventStream;
import io.junitebpf.junit.SeedEvents.UsdtEvent;
import io.junitebpf.target.TargetProcess;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.util.List;

import static io.junitebpf.junit.EbpfAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests running at the same time never see each other's events: each loads its
 * own object, so its ring buffer only carries what its own per-pid attachment saw.
 * The stream is deliberately not filtered by pid.
 */
@EbpfTest(objects = "bpf/usdt.bpf.o", strict = EbpfTest.Strictness.STRICT)
@Execution(ExecutionMode.CONCURRENT)
class ParallelIsolationTest {

    @RepeatedTest(4)
    void eachTestSeesOnlyItsOwnTarget(@Bpf("func_usdt1") Program probe1, @Launch TargetProcess umark,
                                      @Events EventStream<UsdtEvent> events) throws InterruptedException {
        probe1.attachUsdt(Usdt.of(umark.executable(), "groupa", "probe1").withPid(umark.pid()));
        umark.release();
        events.awaitCount(5, java.time.Duration.ofSeconds(10));
        umark.close();                    // stop it: what arrived from now on could only be another test's
        Thread.sleep(200);                // while the other tests' targets keep firing
        List<UsdtEvent> seen = events.snapshot();
        assertThat(seen).hasSizeGreaterThanOrEqualTo(5)
                .allSatisfy(e -> assertThat(e.task().tgid()).isEqualTo(umark.pid()));
        assertThat(events).hasNoLostEvents();
    }
}
