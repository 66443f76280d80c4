package io.junitebpf.it;

import io.junitebpf.bpf.BpfObject;
import io.junitebpf.bpf.LoadedObject;
import io.junitebpf.bpf.RingBuffer;
import io.junitebpf.bpf.Usdt;
import io.junitebpf.target.TargetProcess;
import io.junitebpf.target.Umark;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The first slice through every layer: the USDT object opened from classpath
 * bytes, umark built from its packaged source and started gated, groupa:probe1
 * attached to that one process, and the probe's value read back from the ring
 * buffer.
 */
class WalkingSkeletonTest {

    /** struct usdt_event as laid out in bpf/include/events.h (the extension checks this against BTF). */
    record UsdtEvent(String name, int tgid, long arg1) {
        static UsdtEvent decode(ByteBuffer b) {
            byte[] name = new byte[16];
            b.get(0, name);
            int len = 0;
            while (len < name.length && name[len] != 0) {
                len++;
            }
            return new UsdtEvent(new String(name, 0, len, StandardCharsets.US_ASCII), b.getInt(24), b.getLong(72));
        }
    }

    @Test
    void usdtProbe1OfUmarkReportsTen() {
        assertProbe1ReportsTen("");
    }

    /** The whole slice; {@code via} names what it ran through, for the wait's alias (e.g. another libbpf). */
    static void assertProbe1ReportsTen(String via) {
        List<UsdtEvent> events = new CopyOnWriteArrayList<>();
        try (LoadedObject bpf = BpfObject.openResource("bpf/usdt.bpf.o").load();
             TargetProcess umark = Umark.launchGated(1_000, Duration.ofMillis(20))) {
            bpf.program("func_usdt1").attachUsdt(Usdt.of(umark.executable(), "groupa", "probe1").withPid(umark.pid()));
            RingBuffer ring = bpf.ringBuffer("events");
            umark.release();

            await("a func_usdt1 event from umark pid " + umark.pid() + via)
                    .atMost(Duration.ofSeconds(10))
                    .failFast("umark exited: " + umark.describeExit(), () -> !umark.isAlive())
                    .until(() -> {
                        ring.poll(Duration.ofMillis(100), record -> events.add(UsdtEvent.decode(record)));
                        return events.stream().anyMatch(e -> e.tgid() == umark.pid());
                    });

            assertThat(events).filteredOn(e -> e.tgid() == umark.pid())
                    .first()
                    .satisfies(e -> {
                        assertThat(e.name()).isEqualTo("func_usdt1");
                        assertThat(e.arg1()).isEqualTo(10);
                    });
        }
    }
}
