package io.junitebpf.event;

import io.junitebpf.bpf.BpfObject;
import io.junitebpf.bpf.LoadedObject;
import io.junitebpf.bpf.RingBuffer;
import io.junitebpf.bpf.Usdt;
import io.junitebpf.btf.Btf;
import io.junitebpf.target.TargetProcess;
import io.junitebpf.target.Umark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Who reads the ring: a waiting thread takes over reading from the stream's poller thread, so the
 * kernel wakes the wait itself (one wake-up from record to return, scripts/bench-waits); without a
 * wait the poller reads, and takes reading back by itself once the waits are over; a second wait at the
 * same time is served by the first's reading; and a
 * source that cannot be woken (libbpf's callback ring) keeps waits on the poller.
 */
@ResourceLock("bpf/usdt.bpf.o")
class WaitReadsTest {

    @CStruct("task_info")
    record TaskInfo(long timestampNs, int tgid, int ppid, int uid, String comm, String parentComm) {
    }

    /** By BPF timestamp, the thread that decoded each event: the one that read its record from the ring. */
    private static final java.util.Map<Long, String> READ_BY = new java.util.concurrent.ConcurrentHashMap<>();

    @CStruct("usdt_event")
    record UsdtEvent(String name, TaskInfo task, long arg1, long arg2, int argCount) {
        UsdtEvent {
            READ_BY.put(task.timestampNs(), Thread.currentThread().getName());
        }

        String readBy() {
            return READ_BY.get(task.timestampNs());
        }
    }

    private static byte[] object() throws IOException {
        try (InputStream in = WaitReadsTest.class.getClassLoader().getResourceAsStream("bpf/usdt.bpf.o")) {
            return in.readAllBytes();
        }
    }

    @Test
    void aWaitingThreadReadsTheRingItselfAndTheEventsBeforeItWereReadByThePoller() throws Exception {
        byte[] bytes = object();
        RecordLayout<UsdtEvent> layout = RecordLayout.of(UsdtEvent.class, Btf.parse("bpf/usdt.bpf.o", bytes));
        try (LoadedObject bpf = BpfObject.open(bytes, "bpf/usdt.bpf.o").load();
             TargetProcess umark = TargetProcess.launch(Umark.executable(),
                     List.of("--count", "40", "--interval", "25", "--gate"), TargetProcess.Gate.STDIN_LINE);
             EventStream<UsdtEvent> stream = EventStream.open(EventSources.of(bpf.ringBuffer("events"),
                     "usdt events"), layout, 1000)) {
            bpf.program("func_usdt1").attachUsdt(Usdt.of(umark.executable(), "groupa", "probe1")
                    .withPid(umark.pid()));
            umark.release();
            // nobody waits: the poller reads
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (stream.size() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5); // not a wait: a wait would read itself
            }
            UsdtEvent first = stream.snapshot().getFirst();
            assertThat(first.readBy()).startsWith("junit-ebpf-events-");

            String me = Thread.currentThread().getName();
            long after = first.task().timestampNs();
            List<UsdtEvent> waitedFor = new java.util.ArrayList<>();
            // (an event that came between two waits was read by the poller, and the next wait took it at once:
            // up to 15 waits, of 40 events 25 ms apart, until one blocked)
            for (int i = 0; i < 15 && !waitedFor.stream().map(UsdtEvent::readBy).toList().contains(me); i++) {
                long since = after;
                UsdtEvent e = stream.awaitFirst("after " + since, ev -> ev.task().timestampNs() > since,
                        Duration.ofSeconds(10));
                waitedFor.add(e);
                after = e.task().timestampNs();
            }
            assertThat(waitedFor).as("events a wait blocked for were read by the waiting thread")
                    .extracting(UsdtEvent::readBy).contains(me);

            // the waits are over and nobody woke the poller: it takes reading back by itself (within its 50 ms
            // look), so the next event is read by it, not left in the ring until some later wait
            long lastWaited = after;
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (stream.snapshot().getLast().task().timestampNs() == lastWaited && System.nanoTime() < deadline) {
                Thread.sleep(5); // not a wait: a wait would read itself
            }
            assertThat(stream.snapshot().getLast().task().timestampNs()).as("an event after the last wait")
                    .isGreaterThan(lastWaited);
            assertThat(stream.snapshot().getLast().readBy()).as("read with no wait: by the poller")
                    .startsWith("junit-ebpf-events-");

            // two waits at the same time: one reads, the other is served by its reading
            CompletableFuture<List<UsdtEvent>> other = CompletableFuture.supplyAsync(
                    () -> stream.awaitCount(20, Duration.ofSeconds(20)));
            assertThat(stream.awaitCount(20, Duration.ofSeconds(20))).hasSizeGreaterThanOrEqualTo(20);
            assertThat(other.get(20, TimeUnit.SECONDS)).hasSizeGreaterThanOrEqualTo(20);
            assertThat(stream.snapshot()).extracting(e -> e.task().timestampNs()).isSorted();
        }
    }

    @Test
    void aStreamOverALibbpfCallbackRingWaitsThroughItsPollerAndClosingItEndsTheWait() throws Exception {
        byte[] bytes = object();
        RecordLayout<UsdtEvent> layout = RecordLayout.of(UsdtEvent.class, Btf.parse("bpf/usdt.bpf.o", bytes));
        try (LoadedObject bpf = BpfObject.open(bytes, "bpf/usdt.bpf.o").load()) {
            RingBuffer ring = bpf.ringBuffer("events", RingBuffer.Mode.LIBBPF_CALLBACK);
            EventStream<UsdtEvent> stream = EventStream.open(EventSources.of(ring, "usdt events"), layout, 10);
            CompletableFuture<UsdtEvent> waiting = CompletableFuture.supplyAsync(
                    () -> stream.awaitFirst("any", e -> true, Duration.ofSeconds(30)));
            Thread.sleep(200);
            long start = System.nanoTime();
            stream.close();
            assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS)).hasMessageContaining("closed");
            assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(10));
        }
    }
}
