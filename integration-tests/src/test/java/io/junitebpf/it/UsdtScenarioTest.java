package io.junitebpf.it;

import io.junitebpf.demo.SeedEvents.UsdtEvent;
import io.junitebpf.event.EventStream;
import io.junitebpf.junit.AttachUsdt;
import io.junitebpf.junit.AutoAttach;
import io.junitebpf.junit.EbpfTest;
import io.junitebpf.junit.Events;
import io.junitebpf.junit.Launch;
import io.junitebpf.target.TargetProcess;
import org.junit.jupiter.api.Test;

import static io.junitebpf.it.SeedAssertions.assertMonotonic;
import static io.junitebpf.it.SeedAssertions.assertTask;
import static io.junitebpf.junit.EbpfAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed's usdt_test: umark's groupa:probe1 attached explicitly
 * (bpf_program__attach_usdt) and groupb:probe2 attached where its SEC() says,
 * each checked over several rounds of umark with the common fields.
 */
@EbpfTest(objects = "bpf/usdt.bpf.o", strict = EbpfTest.Strictness.STRICT)
class UsdtScenarioTest {

    private static final int ROUNDS = 3;

    @Test
    @AttachUsdt(program = "func_usdt1", probe = "groupa:probe1")
    void groupaProbe1SeesTenThroughAnExplicitAttach(@Launch TargetProcess umark,
                                                    @Events EventStream<UsdtEvent> events) {
        Launcher launcher = Launcher.current();
        long released = System.nanoTime();
        umark.release();

        EventStream<UsdtEvent> mine = events.fromProcess(umark.pid());
        assertThat(mine).firstSatisfy(ROUNDS, e -> {
            assertThat(e.name()).as("program").isEqualTo("func_usdt1");
            assertThat(e.arg1()).as("groupa:probe1 var1").isEqualTo(10);
            assertThat(e.argCount()).as("groupa:probe1 argument count").isEqualTo(1);
            assertTask(e.name(), e.task(), umark, "umark", launcher, released);
        }).hasNoLostEvents();
        assertMonotonic(mine.snapshot(), UsdtEvent::task);
    }

    @Test
    @AutoAttach(program = "func_usdt2")
    void groupbProbe2SeesTwentyAndThirtyThroughItsSection(@Launch TargetProcess umark,
                                                          @Events EventStream<UsdtEvent> events) {
        Launcher launcher = Launcher.current();
        long released = System.nanoTime();
        umark.release();

        EventStream<UsdtEvent> mine = events.fromProcess(umark.pid());
        assertThat(mine).firstSatisfy(ROUNDS, e -> {
            assertThat(e.name()).as("program").isEqualTo("func_usdt2");
            assertThat(e.arg1()).as("groupb:probe2 var2").isEqualTo(20);
            assertThat(e.arg2()).as("groupb:probe2 var3").isEqualTo(30);
            assertThat(e.argCount()).as("groupb:probe2 argument count").isEqualTo(2);
            assertTask(e.name(), e.task(), umark, "umark", launcher, released);
        }).hasNoLostEvents();
        assertMonotonic(mine.snapshot(), UsdtEvent::task);
    }
}
