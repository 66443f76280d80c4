package io.junitebpf.bpf.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.atomic.AtomicLong;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code bpf_prog_test_run_opts} (libbpf 0.7): one {@code BPF_PROG_TEST_RUN}
 * with its buffers in one allocation of the caller's arena. A run the kernel
 * cut short because a signal arrived ({@code -EINTR}: profilers and the JVM
 * itself signal threads) is run again.
 */
public final class TestRunCall {

    /** Runs again at most this often in a row before giving up on a thread that keeps receiving signals. */
    public static final int MAX_INTERRUPTIONS = 1000;

    // struct bpf_test_run_opts (libbpf 1.0-1.5), x86-64 and arm64 alike
    private static final long SIZE = 80;
    private static final long DATA_IN = 8;
    private static final long DATA_OUT = 16;
    private static final long DATA_SIZE_IN = 24;
    private static final long DATA_SIZE_OUT = 28;
    private static final long CTX_IN = 32;
    private static final long CTX_OUT = 40;
    private static final long CTX_SIZE_IN = 48;
    private static final long CTX_SIZE_OUT = 52;
    private static final long RETVAL = 56;
    private static final long REPEAT = 60;
    private static final long DURATION = 64;
    private static final long FLAGS = 68;
    private static final long CPU = 72;
    private static final int EINTR = 4;
    private static final FunctionDescriptor DESCRIPTOR = FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS);
    private static final AtomicLong INTERRUPTIONS = new AtomicLong();

    private TestRunCall() {
    }

    /**
     * What the kernel answered.
     *
     * @param errno        0, or the run's errno (after retries on EINTR)
     * @param dataSizeOut  the output data's full size (larger than the buffer with ENOSPC)
     * @param contextSizeOut the output context's size
     * @param contextIn      the input context buffer after the run (a syscall program writes there)
     */
    public record Outcome(int errno, int returnValue, byte[] data, int dataSizeOut, byte[] context,
                          int contextSizeOut, long durationNanos, byte[] contextIn) {
    }

    /** The errno of a test run of no program (fd -1): EBADF where the kernel has the command. */
    public static int probe(LibbpfApi api) {
        try (Arena arena = Arena.ofConfined()) {
            return run(api, arena, -1, null, null, 0, 0, 1, 0, 0).errno();
        }
    }

    /** How many runs, in this process, were cut short by a signal and run again. */
    public static long interruptions() {
        return INTERRUPTIONS.get();
    }

    /**
     * One test run of the program {@code fd}. {@code data} and {@code context} may be null;
     * output buffers of {@code dataOut}/{@code contextOut} bytes are passed when non-zero.
     */
    public static Outcome run(LibbpfApi api, Arena arena, int fd, byte[] data, byte[] context, int dataOut,
                              int contextOut, int repeat, int flags, int cpu) {
        MethodHandle run = api.library().function("bpf_prog_test_run_opts", DESCRIPTOR, "0.7");
        int dataIn = data == null ? 0 : data.length;
        int ctxIn = context == null ? 0 : context.length;
        long dataInAt = SIZE;
        long dataOutAt = align(dataInAt + dataIn);
        long ctxInAt = align(dataOutAt + dataOut);
        long ctxOutAt = align(ctxInAt + ctxIn);
        MemorySegment block = arena.allocate(ctxOutAt + contextOut, 8);
        if (data != null) {
            MemorySegment.copy(data, 0, block, JAVA_BYTE, dataInAt, dataIn);
        }
        if (context != null) {
            MemorySegment.copy(context, 0, block, JAVA_BYTE, ctxInAt, ctxIn);
        }
        int rc;
        int interrupted = 0;
        try {
            while (true) {
                setOptions(block, data != null, dataIn, dataOut, context != null, ctxIn, contextOut, repeat, flags,
                        cpu, dataInAt, dataOutAt, ctxInAt, ctxOutAt);
                rc = (int) run.invokeExact(fd, block);
                if (rc != -EINTR || ++interrupted > MAX_INTERRUPTIONS) {
                    break;
                }
                INTERRUPTIONS.incrementAndGet();
            }
        } catch (Throwable t) {
            throw Errors.rethrow(t);
        }
        int dataSize = block.get(JAVA_INT, DATA_SIZE_OUT);
        int ctxSize = block.get(JAVA_INT, CTX_SIZE_OUT);
        byte[] outData = dataOut == 0 ? new byte[0]
                : block.asSlice(dataOutAt, Math.min(dataSize, dataOut)).toArray(JAVA_BYTE);
        byte[] outCtx = contextOut == 0 ? new byte[0]
                : block.asSlice(ctxOutAt, Math.min(ctxSize, contextOut)).toArray(JAVA_BYTE);
        return new Outcome(rc < 0 ? -rc : 0, block.get(JAVA_INT, RETVAL), outData, dataSize, outCtx, ctxSize,
                Integer.toUnsignedLong(block.get(JAVA_INT, DURATION)),
                context == null ? new byte[0] : block.asSlice(ctxInAt, ctxIn).toArray(JAVA_BYTE));
    }

    // Written again before every attempt: the kernel overwrote the size fields with what it produced.
    private static void setOptions(MemorySegment opts, boolean hasData, int dataIn, int dataOut, boolean hasContext,
                                   int ctxIn, int ctxOut, int repeat, int flags, int cpu, long dataInAt,
                                   long dataOutAt, long ctxInAt, long ctxOutAt) {
        opts.set(JAVA_LONG, 0, SIZE);
        opts.set(ADDRESS, DATA_IN, hasData ? opts.asSlice(dataInAt) : MemorySegment.NULL);
        opts.set(ADDRESS, DATA_OUT, dataOut > 0 ? opts.asSlice(dataOutAt) : MemorySegment.NULL);
        opts.set(JAVA_INT, DATA_SIZE_IN, dataIn);
        opts.set(JAVA_INT, DATA_SIZE_OUT, dataOut);
        opts.set(ADDRESS, CTX_IN, hasContext ? opts.asSlice(ctxInAt) : MemorySegment.NULL);
        opts.set(ADDRESS, CTX_OUT, ctxOut > 0 ? opts.asSlice(ctxOutAt) : MemorySegment.NULL);
        opts.set(JAVA_INT, CTX_SIZE_IN, ctxIn);
        opts.set(JAVA_INT, CTX_SIZE_OUT, ctxOut);
        opts.set(JAVA_INT, REPEAT, repeat);
        opts.set(JAVA_INT, FLAGS, flags);
        opts.set(JAVA_INT, CPU, cpu);
    }

    private static long align(long offset) {
        return (offset + 7) & ~7L;
    }
}
