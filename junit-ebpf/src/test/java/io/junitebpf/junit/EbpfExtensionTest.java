package io.junitebpf.junit;

import io.junitebpf.bpf.LoadedObject;
import io.junitebpf.bpf.Program;
import io.junitebpf.bpf.Usdt;
import io.junitebpf.event.EventStream;
import io.junitebpf.junit.SeedEvents.UprobeEvent;
import io.junitebpf.junit.SeedEvents.UsdtEvent;
import io.junitebpf.target.TargetProcess;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.junitebpf.junit.EbpfAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/** The extension on the real kernel: loading, injection, declared and programmatic attach, typed streams. */
class EbpfExtensionTest {

    @Nested
    @EbpfTest(objects = "bpf/usdt.bpf.o", strict = EbpfTest.Strictness.STRICT)
    class Usdt {

        @Test
        @AttachUsdt(program = "func_usdt1", probe = "groupa:probe1")
        void declaredUsdtAttachSeesTen(@Launch(release = true) TargetProcess umark,
                                       @Events("events") EventStream<UsdtEvent> events) {
            assertThat(events.fromProcess(umark.pid()))
                    .awaitAtMost(Duration.ofSeconds(10))
                    .anySatisfy(e -> {
                        assertThat(e.name()).isEqualTo("func_usdt1");
                        assertThat(e.arg1()).isEqualTo(10);
                        assertThat(e.argCount()).isEqualTo(1);
                        assertThat(e.task().comm()).isEqualTo("umark");
                    });
        }

        @Test
        void programmaticAttachThenRelease(LoadedObject bpf, @Bpf("func_usdt1") Program probe1,
                                           @Launch TargetProcess umark,
                                           @Events EventStream<UsdtEvent> events) {
            probe1.attachUsdt(io.junitebpf.bpf.Usdt.of(umark.executable(), "groupa", "probe1").withPid(umark.pid()));
            umark.release();
            assertThat(events).hasAtLeast(3).hasNoLostEvents();
            assertThat(bpf.name()).isEqualTo("usdt");
        }

        @Test
        @AutoAttach(program = "func_usdt2")
        void secDeclaredUsdtFindsTheBuiltUmark(@Launch(release = true) TargetProcess umark,
                                               @Events EventStream<UsdtEvent> events) {
            assertThat(events.fromProcess(umark.pid())).anySatisfy(e -> {
                assertThat(e.name()).isEqualTo("func_usdt2");
                assertThat(e.arg1()).isEqualTo(20);
                assertThat(e.arg2()).isEqualTo(30);
            });
        }
    }

    @Nested
    @EbpfTest(objects = "bpf/uprobe.bpf.o", strict = EbpfTest.Strictness.STRICT)
    class Uprobes {

        @Test
        @AttachUprobe(program = "func_uprobe1", function = "func_uprobe1", byOffset = true)
        @AttachUprobe(program = "func_uretprobe1", function = "func_uprobe1", retprobe = true)
        void uprobe1EntryAndReturn(@Launch(release = true) TargetProcess umark,
                                   @Events EventStream<UprobeEvent> events) {
            EventStream<UprobeEvent> mine = events.fromProcess(umark.pid());
            assertThat(mine).anySatisfy(e -> assertThat(e.name()).isEqualTo("func_uprobe1"))
                    .anySatisfy(e -> {
                        assertThat(e.name()).isEqualTo("func_uretprobe1");
                        assertThat(e.ret()).isPositive();
                    });
        }

        @Test
        @AutoAttach(program = "func_uprobe2")
        @AutoAttach(program = "func_uretprobe2")
        void uprobe2ArgumentsSumToItsReturnValue(@Launch(release = true) TargetProcess umark,
                                                 @Events EventStream<UprobeEvent> events) {
            EventStream<UprobeEvent> mine = events.fromProcess(umark.pid());
            UprobeEvent entry = mine.awaitFirst("func_uprobe2 entry", e -> e.name().equals("func_uprobe2"),
                    Duration.ofSeconds(10));
            assertThat(entry.y()).isEqualTo(entry.x() + 5);
            assertThat(mine).anySatisfy(e -> {
                assertThat(e.name()).isEqualTo("func_uretprobe2");
                assertThat(e.ret()).isEqualTo(entry.x() + entry.y());
            });
        }
    }
}
