package io.junitebpf.bpf.ring;

import io.junitebpf.bpf.BpfException;
import io.junitebpf.bpf.PerfBuffer;
import io.junitebpf.bpf.ring.RingTestProgram.Record;
import io.junitebpf.bpf.ring.RingTestProgram.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static io.junitebpf.bpf.ring.RingTestProgram.PERF;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** PerfBuffer against the real kernel: delivery, per-CPU order, padding, losses, handler failures, misuse. */
@ResourceLock("ringtest.bpf.o")
class PerfBufferTest {

    private static RingTestProgram program;

    @BeforeAll
    static void load() {
        program = new RingTestProgram();
    }

    @AfterAll
    static void unload() {
        program.close();
    }

    private record Sample(int cpu, Record record) {
    }

    private static List<Sample> collect(PerfBuffer perf, int expected) {
        List<Sample> samples = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (samples.size() < expected && System.nanoTime() < deadline) {
            perf.pollPerCpu(Duration.ofMillis(100), (cpu, b) -> samples.add(new Sample(cpu, RingTestProgram.decode(b))));
        }
        return samples;
    }

    @Test
    void everySampleArrivesOnceInOrderPerCpuWithItsContents() {
        try (PerfBuffer perf = program.bpf.perfBuffer("perf")) {
            for (int batch = 0; batch < 4; batch++) {
                program.emit(Request.variable(PERF, batch * 40L, 40, 0));
            }
            List<Sample> samples = collect(perf, 160);

            assertThat(samples).extracting(s -> s.record().seq())
                    .containsExactlyInAnyOrder(LongStream.range(0, 160).boxed().toArray(Long[]::new));
            Map<Integer, List<Long>> perCpu = new TreeMap<>();
            samples.forEach(s -> perCpu.computeIfAbsent(s.cpu(), c -> new ArrayList<>()).add(s.record().seq()));
            perCpu.forEach((cpu, seqs) -> assertThat(seqs).as("order on cpu %d", cpu).isSorted());
            assertThat(samples).allSatisfy(s -> {
                Record r = s.record();
                assertThat(r.size()).isEqualTo(RingTestProgram.variedSize(r.seq()));
                // perf pads the raw sample so that its u32 size + data end 8-byte aligned
                assertThat(r.bytes()).isEqualTo((r.size() + 4 + 7) / 8 * 8 - 4);
            });
            assertThat(perf.consumed()).isEqualTo(160);
            assertThat(perf.lost()).isZero();
        }
    }

    @Test
    void aFullCpuBufferLosesSamplesAndCountsThem() {
        // one 4 KiB page per CPU; one request writes 64 KiB on one CPU before we read
        try (PerfBuffer perf = program.bpf.perfBuffer("perf", 1)) {
            List<Sample> samples = new ArrayList<>();
            long[] emitted = {64};
            // every emit on one CPU: the kernel writes its PERF_RECORD_LOST into the overflowed CPU's buffer
            // when the next sample there finds room (a thread that moved to the other CPU, as one did in a soak
            // run under parallel execution, never wrote it)
            RingTestProgram.onOneCpu(() -> {
                program.emit(Request.variable(PERF, 0, 64, 1000));
                samples.addAll(collect(perf, 1));
                samples.addAll(collect(perf, 0));
                while (perf.lost() == 0 && emitted[0] < 64 + 200) {
                    program.emit(Request.variable(PERF, emitted[0], 1, 16));
                    emitted[0]++;
                    samples.addAll(collect(perf, 1));
                }
            });

            assertThat(perf.lost()).isPositive();
            assertThat(samples.size() + perf.lost()).isEqualTo(emitted[0]);
            assertThat(samples).extracting(s -> s.record().seq()).doesNotHaveDuplicates().contains(emitted[0] - 1);
        }
    }

    @Test
    void aHandlerExceptionIsRethrownAndTheRestComesWithTheNextPoll() {
        try (PerfBuffer perf = program.bpf.perfBuffer("perf")) {
            program.emit(Request.variable(PERF, 0, 10, 24));
            List<Long> seen = new ArrayList<>();
            IllegalStateException boom = new IllegalStateException("boom");

            assertThatThrownBy(() -> perf.poll(Duration.ofSeconds(1), b -> {
                long seq = RingTestProgram.decode(b).seq();
                seen.add(seq);
                if (seq == 3) {
                    throw boom;
                }
            })).isSameAs(boom);
            assertThat(seen).containsExactly(0L, 1L, 2L, 3L);

            assertThat(perf.poll(Duration.ofSeconds(1), b -> seen.add(RingTestProgram.decode(b).seq())))
                    .isEqualTo(6);
            assertThat(seen).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
            assertThat(perf.poll(Duration.ZERO, b -> seen.add(-1L))).isZero();
            assertThat(perf.consumed()).isEqualTo(10);
        }
    }

    @Test
    void pollAfterCloseThrows() {
        PerfBuffer perf = program.bpf.perfBuffer("perf");
        perf.close();
        perf.close();
        assertThatThrownBy(() -> perf.poll(Duration.ZERO, b -> { }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("poll perf buffer 'perf'")
                .hasMessageContaining("closed");
    }

    @Test
    void aMapOfAnotherTypeOrABadPageCountIsRefused() {
        assertThatThrownBy(() -> program.bpf.perfBuffer("ring"))
                .isInstanceOf(BpfException.class)
                .hasMessageStartingWith("open perf buffer 'ring' of bpf-test/ringtest.bpf.o: ")
                .hasMessageContaining("is a BPF_MAP_TYPE_RINGBUF, not a BPF_MAP_TYPE_PERF_EVENT_ARRAY")
                .hasMessageContaining("ringBuffer(\"ring\")");
        assertThatThrownBy(() -> program.bpf.perfBuffer("perf", 3))
                .isInstanceOf(BpfException.class)
                .hasMessageContaining("page count 3 per CPU is not a power of 2");
    }
}
