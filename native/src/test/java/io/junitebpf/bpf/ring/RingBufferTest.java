package io.junitebpf.bpf.ring;

import io.junitebpf.bpf.BpfException;
import io.junitebpf.bpf.RingBuffer;
import io.junitebpf.bpf.ring.RingTestProgram.Record;
import io.junitebpf.bpf.ring.RingTestProgram.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static io.junitebpf.bpf.ring.RingTestProgram.FIXED;
import static io.junitebpf.bpf.ring.RingTestProgram.FIXED_SIZE;
import static io.junitebpf.bpf.ring.RingTestProgram.RING;
import static io.junitebpf.bpf.ring.RingTestProgram.SMALL_RING;
import static io.junitebpf.bpf.ring.RingTestProgram.VARIABLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Both ring buffer modes against the real kernel: every record once, in
 * order, intact; wrap-around; varying sizes and discards; handler failures;
 * waiting; use after close.
 */
@ResourceLock("ringtest.bpf.o")
class RingBufferTest {

    private static RingTestProgram program;

    @BeforeAll
    static void load() {
        program = new RingTestProgram();
    }

    @AfterAll
    static void unload() {
        program.close();
    }

    /** How a test takes records: a buffer per record ({@code Consumer<ByteBuffer>}) or a place in a view. */
    enum Reading {
        BUFFER, RECORD_HANDLER;

        /** One poll, each record decoded (and checked) into {@code sink}. */
        int poll(RingBuffer ring, Duration timeout, java.util.function.Consumer<Record> sink) {
            return this == BUFFER
                    ? ring.poll(timeout, b -> sink.accept(RingTestProgram.decode(b)))
                    : ring.poll(timeout, (view, offset, length) -> sink.accept(RingTestProgram.decode(view, offset,
                    length)));
        }
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> modesAndReadings() {
        return java.util.Arrays.stream(RingBuffer.Mode.values()).flatMap(mode -> java.util.Arrays.stream(
                Reading.values()).map(reading -> org.junit.jupiter.params.provider.Arguments.of(mode, reading)));
    }

    /** Polls until {@code expected} records arrived (or 5 s passed) and decodes them. */
    private static List<Record> collect(RingBuffer ring, int expected) {
        return collect(ring, Reading.BUFFER, expected);
    }

    private static List<Record> collect(RingBuffer ring, Reading reading, int expected) {
        List<Record> records = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (records.size() < expected && System.nanoTime() < deadline) {
            reading.poll(ring, Duration.ofMillis(100), records::add);
        }
        return records;
    }

    private static long[] seqs(List<Record> records) {
        return records.stream().mapToLong(Record::seq).toArray();
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("modesAndReadings")
    void everyRecordArrivesOnceInOrderWithItsContents(RingBuffer.Mode mode, Reading reading) {
        try (RingBuffer ring = program.bpf.ringBuffer("ring", mode)) {
            assertThat(ring.mode()).isEqualTo(mode);
            for (int batch = 0; batch < 3; batch++) {
                program.emit(Request.fixed(RING, batch * 50L, 50));
            }
            List<Record> records = collect(ring, reading, 150);
            reading.poll(ring, Duration.ZERO, records::add);

            assertThat(seqs(records)).containsExactly(LongStream.range(0, 150).toArray());
            assertThat(records).allSatisfy(r -> {
                assertThat(r.size()).isEqualTo(FIXED_SIZE);
                assertThat(r.kind()).isEqualTo(FIXED);
                assertThat(r.bytes()).isEqualTo(FIXED_SIZE);
            });
            assertThat(ring.consumed()).isEqualTo(150);
        }
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("modesAndReadings")
    void aSmallRingWrapsAroundManyTimes(RingBuffer.Mode mode, Reading reading) {
        // 4096-byte ring: 40 bytes per fixed record, up to ~1 KiB per variable one
        try (RingBuffer ring = program.bpf.ringBuffer("small_ring", mode)) {
            List<Record> records = new ArrayList<>();
            long seq = 0;
            for (int round = 0; round < 60; round++) {
                program.emit(Request.fixed(SMALL_RING, seq, 50));
                seq += 50;
                program.emit(Request.variable(SMALL_RING, seq, 1, 0));
                seq += 1;
                while (records.size() < seq) {
                    assertThat(reading.poll(ring, Duration.ofSeconds(2), records::add))
                            .as("records after round %d", round).isPositive();
                }
            }
            assertThat(seq * 40).as("bytes written").isGreaterThan(20 * 4096);
            assertThat(seqs(records)).containsExactly(LongStream.range(0, seq).toArray());
            assertThat(records).filteredOn(r -> r.kind() == VARIABLE)
                    .allSatisfy(r -> assertThat(r.bytes()).isEqualTo(RingTestProgram.variedSize(r.seq())));
        }
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("modesAndReadings")
    void recordsOfVaryingSizeAndDiscardedOnesInterleave(RingBuffer.Mode mode, Reading reading) {
        try (RingBuffer ring = program.bpf.ringBuffer("ring", mode)) {
            program.emit(Request.variable(RING, 0, 64, 0));
            program.emit(Request.fixed(RING, 64, 30).discardingEvery(3));
            program.emit(Request.variable(RING, 94, 6, 17));
            program.emit(Request.fixed(RING, 100, 64).discardingEvery(1)); // all discarded
            program.emit(Request.variable(RING, 164, 5, 1023));
            long[] expected = LongStream.range(0, 169)
                    .filter(s -> !(s >= 64 && s < 94 && s % 3 == 0) && !(s >= 100 && s < 164)).toArray();

            List<Record> records = collect(ring, reading, expected.length);

            assertThat(seqs(records)).containsExactly(expected);
            assertThat(records).allSatisfy(r -> assertThat(r.bytes()).isEqualTo(r.size()));
            assertThat(records).filteredOn(r -> r.seq() < 64)
                    .allSatisfy(r -> assertThat(r.size()).isEqualTo(RingTestProgram.variedSize(r.seq())));
            assertThat(records).filteredOn(r -> r.seq() >= 94 && r.seq() < 100)
                    .allSatisfy(r -> assertThat(r.size()).isEqualTo(17));
            assertThat(records).filteredOn(r -> r.seq() >= 164)
                    .allSatisfy(r -> assertThat(r.size()).isEqualTo(1023));
        }
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("modesAndReadings")
    void aHandlerExceptionPropagatesAndTheRestComesWithTheNextPoll(RingBuffer.Mode mode, Reading reading) {
        try (RingBuffer ring = program.bpf.ringBuffer("ring", mode)) {
            program.emit(Request.fixed(RING, 0, 10));
            List<Long> seen = new ArrayList<>();
            IllegalStateException boom = new IllegalStateException("boom");

            assertThatThrownBy(() -> reading.poll(ring, Duration.ofSeconds(1), r -> {
                seen.add(r.seq());
                if (r.seq() == 3) {
                    throw boom;
                }
            })).isSameAs(boom);
            assertThat(seen).containsExactly(0L, 1L, 2L, 3L);

            seen.clear();
            collect(ring, reading, 6).forEach(r -> seen.add(r.seq()));
            assertThat(seen).containsExactly(4L, 5L, 6L, 7L, 8L, 9L);
            assertThat(ring.consumed()).isEqualTo(10);
        }
    }

    @ParameterizedTest
    @EnumSource(RingBuffer.Mode.class)
    void pollWaitsForRecordsAndTimesOutWhenNoneCome(RingBuffer.Mode mode) throws Exception {
        try (RingBuffer ring = program.bpf.ringBuffer("ring", mode)) {
            long start = System.nanoTime();
            assertThat(ring.poll(Duration.ofMillis(200), b -> { })).isZero();
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(150));
            assertThat(ring.poll(Duration.ZERO, b -> { })).isZero();

            CompletableFuture<Void> later = CompletableFuture.runAsync(() -> {
                sleep(300);
                program.emit(Request.fixed(RING, 7, 1));
            });
            List<Record> records = new ArrayList<>();
            start = System.nanoTime();
            int n = ring.poll(Duration.ofSeconds(10), b -> records.add(RingTestProgram.decode(b)));
            long waited = System.nanoTime() - start;
            later.get(5, TimeUnit.SECONDS);

            assertThat(n).isEqualTo(1);
            assertThat(records).extracting(Record::seq).containsExactly(7L);
            assertThat(waited).as("woken by the record, not the timeout").isLessThan(TimeUnit.SECONDS.toNanos(5));
        }
    }

    @ParameterizedTest
    @EnumSource(RingBuffer.Mode.class)
    void pollAfterCloseThrows(RingBuffer.Mode mode) {
        RingBuffer ring = program.bpf.ringBuffer("ring", mode);
        ring.close();
        ring.close();
        assertThatThrownBy(() -> ring.poll(Duration.ZERO, b -> { }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("poll ring buffer 'ring'")
                .hasMessageContaining("closed");
    }

    /**
     * A MAPPED record is a view of the ring's mapping, and so is the view a RecordHandler gets: one a handler
     * kept must fail on access once the ring is closed and unmapped, not read unmapped memory (which would
     * kill the JVM).
     */
    @ParameterizedTest
    @EnumSource(Reading.class)
    void aMappedRecordKeptPastCloseFailsOnAccessInsteadOfReadingUnmappedMemory(Reading reading) {
        RingBuffer ring = program.bpf.ringBuffer("ring", RingBuffer.Mode.MAPPED);
        List<java.nio.ByteBuffer> kept = new ArrayList<>();
        List<Integer> offsets = new ArrayList<>();
        List<Record> read = new ArrayList<>();
        try {
            program.emit(Request.fixed(RING, 40L, 1));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (kept.isEmpty() && System.nanoTime() < deadline) {
                if (reading == Reading.BUFFER) {
                    ring.poll(Duration.ofMillis(100), b -> {
                        read.add(RingTestProgram.decode(b.duplicate().order(b.order())));
                        kept.add(b);
                        offsets.add(0);
                    });
                } else {
                    ring.poll(Duration.ofMillis(100), (view, offset, length) -> {
                        read.add(RingTestProgram.decode(view, offset, length));
                        kept.add(view);
                        offsets.add(offset);
                    });
                }
            }
            assertThat(read).extracting(Record::seq).containsExactly(40L);
        } finally {
            ring.close();
        }
        assertThatThrownBy(() -> kept.getFirst().getLong(offsets.getFirst()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    /**
     * A handler that moves the shared view's limit or changes its order affects only the rest of its own poll:
     * the next poll gets a view of the whole ring in native order again.
     */
    @org.junit.jupiter.api.Test
    void aHandlerThatMovesTheViewDoesNotDisturbTheNextPoll() {
        try (RingBuffer ring = program.bpf.ringBuffer("ring", RingBuffer.Mode.MAPPED)) {
            program.emit(Request.fixed(RING, 0, 5));
            IllegalStateException stop = new IllegalStateException("stop after one");
            assertThatThrownBy(() -> ring.poll(Duration.ofSeconds(2), (view, offset, length) -> {
                view.limit(0).order(java.nio.ByteOrder.BIG_ENDIAN);
                throw stop;
            })).isSameAs(stop);

            List<Record> rest = collect(ring, Reading.RECORD_HANDLER, 4);

            assertThat(seqs(rest)).containsExactly(1, 2, 3, 4);
        }
    }

    @ParameterizedTest
    @EnumSource(RingBuffer.Mode.class)
    void aNullHandlerOrTimeoutIsRefusedByName(RingBuffer.Mode mode) {
        try (RingBuffer ring = program.bpf.ringBuffer("ring", mode)) {
            assertThatThrownBy(() -> ring.poll(Duration.ZERO, (io.junitebpf.bpf.RecordHandler) null))
                    .isInstanceOf(NullPointerException.class).hasMessage("handler");
            assertThatThrownBy(() -> ring.poll(null, (view, offset, length) -> { }))
                    .isInstanceOf(NullPointerException.class).hasMessage("timeout");
        }
    }

    /** A MAPPED poll blocked in one thread is woken by another (for a reader taking over), or by close. */
    @org.junit.jupiter.api.Test
    void aBlockedMappedPollReturnsEarlyOnWakeupAndFailsOnClose() throws Exception {
        try (RingBuffer ring = program.bpf.ringBuffer("ring", RingBuffer.Mode.MAPPED)) {
            CompletableFuture<Integer> blocked = CompletableFuture.supplyAsync(
                    () -> ring.poll(Duration.ofSeconds(30), b -> { }));
            sleep(200); // (whether it blocks yet or not: a wakeup also ends the next poll)
            long start = System.nanoTime();
            ring.wakeup();
            assertThat(blocked.get(5, TimeUnit.SECONDS)).isZero();
            assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(5));

            program.emit(Request.fixed(RING, 3, 1)); // records still arrive after a wakeup
            assertThat(collect(ring, 1)).extracting(Record::seq).containsExactly(3L);
            assertThat(ring.poll(Duration.ofMillis(100), b -> { })).as("the wakeup was used up").isZero();

            CompletableFuture<Integer> closedUnder = CompletableFuture.supplyAsync(
                    () -> ring.poll(Duration.ofSeconds(30), b -> { }));
            sleep(200);
            start = System.nanoTime();
            ring.close(); // does not wait for the blocked poll's 30 s
            assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(5));
            assertThatThrownBy(() -> closedUnder.get(5, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
            assertThatThrownBy(ring::wakeup).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
        }
    }

    @org.junit.jupiter.api.Test
    void aLibbpfCallbackRingCannotBeWokenAndSaysWhichModeCan() {
        try (RingBuffer ring = program.bpf.ringBuffer("ring", RingBuffer.Mode.LIBBPF_CALLBACK)) {
            assertThatThrownBy(ring::wakeup).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("LIBBPF_CALLBACK")
                    .hasMessageContaining("MAPPED");
        }
    }

    @ParameterizedTest
    @EnumSource(RingBuffer.Mode.class)
    void aMapOfAnotherTypeIsRefusedWithAHint(RingBuffer.Mode mode) {
        assertThatThrownBy(() -> program.bpf.ringBuffer("perf", mode))
                .isInstanceOf(BpfException.class)
                .hasMessageStartingWith("open ring buffer 'perf' of bpf-test/ringtest.bpf.o: ")
                .hasMessageContaining("is a BPF_MAP_TYPE_PERF_EVENT_ARRAY, not a BPF_MAP_TYPE_RINGBUF")
                .hasMessageContaining("perfBuffer(\"perf\")");
        assertThatThrownBy(() -> program.bpf.ringBuffer("scratch", mode))
                .isInstanceOf(BpfException.class)
                .hasMessageContaining("is a BPF_MAP_TYPE_PERCPU_ARRAY, not a BPF_MAP_TYPE_RINGBUF")
                .hasMessageContaining("__uint(type, BPF_MAP_TYPE_RINGBUF)");
        assertThatThrownBy(() -> program.bpf.ringBuffer("nosuch", mode))
                .isInstanceOf(BpfException.class)
                .hasMessageContaining("no such map")
                .hasMessageContaining("small_ring");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
