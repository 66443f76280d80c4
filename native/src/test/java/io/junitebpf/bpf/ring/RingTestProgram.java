package io.junitebpf.bpf.ring;

import io.junitebpf.bpf.BpfObject;
import io.junitebpf.bpf.LoadedObject;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * bpf-test/ringtest.bpf.o loaded and attached to syscalls/sys_enter_ioctl, and
 * the ioctl that makes it write records (see the C source for the protocol).
 */
final class RingTestProgram implements AutoCloseable {

    static final int RING = 0;
    static final int SMALL_RING = 1;
    static final int PERF = 2;
    static final int FIXED = 0;
    static final int VARIABLE = 1;
    static final int FIXED_SIZE = 32;
    static final int MAX_RECORDS = 64;

    private static final int MAGIC = 0x4a454250;
    private static final MethodHandle IOCTL = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("ioctl").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), Linker.Option.firstVariadicArg(2));

    final LoadedObject bpf;

    RingTestProgram() {
        mountTracefs();
        bpf = BpfObject.openResource("bpf-test/ringtest.bpf.o").load();
        try {
            bpf.program("ringtest").attach();
        } catch (RuntimeException e) {
            bpf.close();
            throw e;
        }
    }

    /** A request: records first..first+count-1 of one kind into one target. */
    record Request(long firstSeq, int count, int size, int kind, int target, int discardEvery) {
        static Request fixed(int target, long firstSeq, int count) {
            return new Request(firstSeq, count, 0, FIXED, target, 0);
        }

        static Request variable(int target, long firstSeq, int count, int size) {
            return new Request(firstSeq, count, size, VARIABLE, target, 0);
        }

        Request discardingEvery(int n) {
            return new Request(firstSeq, count, size, kind, target, n);
        }
    }

    private static final MethodHandle SCHED_GETCPU = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("sched_getcpu").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle SCHED_GETAFFINITY = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("sched_getaffinity").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS));
    private static final MethodHandle SCHED_SETAFFINITY = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("sched_setaffinity").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS));
    /** sizeof(cpu_set_t) in glibc: 1024 CPUs. */
    private static final long CPU_SET_SIZE = 128;

    /**
     * Runs {@code work} with the calling thread held on the CPU it is on, then lets it move again: for a test
     * whose emits must all land in one CPU's perf buffer (the kernel writes into the buffer of the CPU the
     * program runs on, which is the emitting thread's).
     */
    static void onOneCpu(Runnable work) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment saved = arena.allocate(CPU_SET_SIZE, 8);
            MemorySegment one = arena.allocate(CPU_SET_SIZE, 8);
            assertThat((int) SCHED_GETAFFINITY.invokeExact(0, CPU_SET_SIZE, saved)).isZero();
            int cpu = (int) SCHED_GETCPU.invokeExact();
            one.set(java.lang.foreign.ValueLayout.JAVA_BYTE, cpu / 8, (byte) (1 << (cpu % 8)));
            assertThat((int) SCHED_SETAFFINITY.invokeExact(0, CPU_SET_SIZE, one)).as("pin to CPU %d", cpu).isZero();
            try {
                work.run();
            } finally {
                int rc = (int) SCHED_SETAFFINITY.invokeExact(0, CPU_SET_SIZE, saved);
                assertThat(rc).as("restore the thread's CPUs").isZero();
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Makes the program emit the records of {@code request}; they are in the buffer when this returns. */
    void emit(Request request) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment req = arena.allocate(32, 8);
            req.set(JAVA_LONG, 0, request.firstSeq());
            req.set(JAVA_INT, 8, request.count());
            req.set(JAVA_INT, 12, request.size());
            req.set(JAVA_INT, 16, request.kind());
            req.set(JAVA_INT, 20, request.target());
            req.set(JAVA_INT, 24, request.discardEvery());
            int rc = (int) IOCTL.invokeExact(-1, (long) MAGIC, req);
            assertThat(rc).as("ioctl on fd -1 fails (EBADF) after the tracepoint fired").isEqualTo(-1);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** The size the program gives record {@code seq} of a VARIABLE request with size 0. */
    static int variedSize(long seq) {
        return (int) (16 + (seq * 37) % (1024 - 17));
    }

    /** Decodes and checks one record handed over as a buffer of its own: header fields and the payload pattern. */
    static Record decode(ByteBuffer b) {
        return decode(b, 0, b.remaining());
    }

    /** {@link #decode(ByteBuffer)} for a record at {@code offset} of a shared view (a RecordHandler's). */
    static Record decode(ByteBuffer b, int offset, int length) {
        assertThat(b.isReadOnly()).as("record view is read-only").isTrue();
        assertThat(b.order()).isEqualTo(java.nio.ByteOrder.nativeOrder());
        assertThat(offset + length).as("record end within the view").isLessThanOrEqualTo(b.limit());
        long seq = b.getLong(offset);
        int size = b.getInt(offset + 8);
        int kind = b.getInt(offset + 12);
        assertThat(length).as("bytes of record %d", seq).isGreaterThanOrEqualTo(size);
        for (int i = 16; i < size; i++) {
            int expected = ((i - 16) * 7 + 3) & 0xff;
            int actual = b.get(offset + i) & 0xff;
            if (actual != expected) {
                throw new AssertionError("record " + seq + " byte " + i + ": " + actual + " != " + expected);
            }
        }
        return new Record(seq, size, kind, length);
    }

    /** One decoded record; {@code bytes} is what the consumer handed over. */
    record Record(long seq, int size, int kind, int bytes) {
    }

    private static void mountTracefs() {
        if (Files.isDirectory(Path.of("/sys/kernel/tracing/events"))) {
            return;
        }
        try {
            new ProcessBuilder("mount", "-t", "tracefs", "nodev", "/sys/kernel/tracing").inheritIO().start()
                    .waitFor();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        bpf.close();
    }
}
