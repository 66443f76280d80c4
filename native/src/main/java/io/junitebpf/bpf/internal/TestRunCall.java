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
 * with its buffers in one reused per-thread buffer. A run the kernel
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
    private static final long BATCH_SIZE = 76;
    private static final int EINTR = 4;
    /**
     * bpf_prog_test_run_opts(int prog_fd, struct bpf_test_run_opts *opts), with the function's address as
     * the first argument: a constant handle the JIT inlines, for any loaded libbpf.
     */
    private static final MethodHandle RUN = NativeLibrary.LINKER.downcallHandle(
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    private static final AtomicLong INTERRUPTIONS = new AtomicLong();
    private static final ThreadLocal<MemorySegment> BUFFER = new ThreadLocal<>();
    private static final byte[] NONE = new byte[0];

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
        return run(api, -1, null, null, 0, 0, 1, 0, 0).errno();
    }

    /** How many runs, in this process, were cut short by a signal and run again. */
    public static long interruptions() {
        return INTERRUPTIONS.get();
    }

    /**
     * One test run of the program {@code fd}. {@code data} and {@code context} may be null;
     * output buffers of {@code dataOut}/{@code contextOut} bytes are passed when non-zero.
     */
    public static Outcome run(LibbpfApi api, int fd, byte[] data, byte[] context, int dataOut,
                              int contextOut, int repeat, int flags, int cpu) {
        MemorySegment function = api.testRunAddress();
        int dataIn = data == null ? 0 : data.length;
        int ctxIn = context == null ? 0 : context.length;
        long dataInAt = SIZE;
        long dataOutAt = align(dataInAt + dataIn);
        long ctxInAt = align(dataOutAt + dataOut);
        long ctxOutAt = align(ctxInAt + ctxIn);
        MemorySegment block = buffer(ctxOutAt + contextOut);
        int rc;
        int interrupted = 0;
        try {
            while (true) {
                // copied again on a retry: a syscall program writes its context back into the input
                if (data != null) {
                    MemorySegment.copy(data, 0, block, JAVA_BYTE, dataInAt, dataIn);
                }
                if (context != null) {
                    MemorySegment.copy(context, 0, block, JAVA_BYTE, ctxInAt, ctxIn);
                }
                setOptions(block, data != null, dataIn, dataOut, context != null, ctxIn, contextOut, repeat, flags,
                        cpu, dataInAt, dataOutAt, ctxInAt, ctxOutAt);
                rc = (int) RUN.invokeExact(function, fd, block);
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
        byte[] outData = dataOut == 0 ? NONE : copyOut(block, dataOutAt, Math.min(dataSize, dataOut));
        byte[] outCtx = contextOut == 0 ? NONE : copyOut(block, ctxOutAt, Math.min(ctxSize, contextOut));
        return new Outcome(rc < 0 ? -rc : 0, block.get(JAVA_INT, RETVAL), outData, dataSize, outCtx, ctxSize,
                Integer.toUnsignedLong(block.get(JAVA_INT, DURATION)),
                context == null ? NONE : copyOut(block, ctxInAt, ctxIn));
    }

    // Written again before every attempt: the kernel overwrote the size fields with what it produced.
    // Pointers are written as addresses: no slice objects per run.
    private static void setOptions(MemorySegment opts, boolean hasData, int dataIn, int dataOut, boolean hasContext,
                                   int ctxIn, int ctxOut, int repeat, int flags, int cpu, long dataInAt,
                                   long dataOutAt, long ctxInAt, long ctxOutAt) {
        long base = opts.address();
        opts.set(JAVA_LONG, 0, SIZE);
        opts.set(JAVA_INT, RETVAL, 0);
        opts.set(JAVA_INT, DURATION, 0); // the kernel refuses some runs whose duration or batch size is not 0
        opts.set(JAVA_INT, BATCH_SIZE, 0);
        opts.set(JAVA_LONG, DATA_IN, hasData ? base + dataInAt : 0);
        opts.set(JAVA_LONG, DATA_OUT, dataOut > 0 ? base + dataOutAt : 0);
        opts.set(JAVA_INT, DATA_SIZE_IN, dataIn);
        opts.set(JAVA_INT, DATA_SIZE_OUT, dataOut);
        opts.set(JAVA_LONG, CTX_IN, hasContext ? base + ctxInAt : 0);
        opts.set(JAVA_LONG, CTX_OUT, ctxOut > 0 ? base + ctxOutAt : 0);
        opts.set(JAVA_INT, CTX_SIZE_IN, ctxIn);
        opts.set(JAVA_INT, CTX_SIZE_OUT, ctxOut);
        opts.set(JAVA_INT, REPEAT, repeat);
        opts.set(JAVA_INT, FLAGS, flags);
        opts.set(JAVA_INT, CPU, cpu);
    }

    /**
     * The thread's buffer for options, input and output, grown when a run needs more. Reused because a
     * fresh zeroed allocation per run costs more than a short run itself; the kernel writes only what it
     * reports in the size fields, and only that much is read back.
     */
    private static MemorySegment buffer(long size) {
        MemorySegment buffer = BUFFER.get();
        if (buffer == null || buffer.byteSize() < size) {
            buffer = Arena.ofAuto().allocate(Math.max(size, 8192), 8);
            BUFFER.set(buffer);
        }
        return buffer;
    }

    private static byte[] copyOut(MemorySegment block, long offset, int length) {
        byte[] bytes = new byte[length];
        MemorySegment.copy(block, JAVA_BYTE, offset, bytes, 0, length);
        return bytes;
    }

    private static long align(long offset) {
        return (offset + 7) & ~7L;
    }
}
