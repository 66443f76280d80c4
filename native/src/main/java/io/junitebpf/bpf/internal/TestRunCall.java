package io.junitebpf.bpf.internal;

import io.junitebpf.bpf.TestRunResult;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.atomic.AtomicLong;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * One {@code BPF_PROG_TEST_RUN} with its buffers in one reused {@link Buffer}, its caller's.
 * A run the kernel cut short because a signal arrived ({@code EINTR}: profilers
 * and the JVM itself signal threads) is run again.
 *
 * <p>The command goes straight to {@code syscall(SYS_bpf, BPF_PROG_TEST_RUN, attr, size)} where the
 * architecture's syscall number is known (x86-64, arm64, riscv64): libbpf's
 * {@code bpf_prog_test_run_opts} (0.7) only validates its options, copies them into the same
 * {@code union bpf_attr} and makes that call, and skipping it measured about 0.1 µs of a 2 µs run
 * (scripts/bench-testrun). Elsewhere libbpf's function is called.
 */
public final class TestRunCall {

    /** Runs again at most this often in a row before giving up on a thread that keeps receiving signals. */
    public static final int MAX_INTERRUPTIONS = 1000;
    /** Repeat counts up to this keep a packet program's run short (microseconds): see {@link Call#critical}. */
    public static final int BRIEF_REPEAT = 16;

    private static final int EINTR = 4;
    private static final int ENOSPC = 28;
    private static final int BPF_PROG_TEST_RUN = 10;
    /** The options block: the kernel's attr or libbpf's opts, both 80 bytes, then the errno slot. */
    private static final long SIZE = 80;
    private static final long ERRNO_AT = SIZE;
    private static final long DATA_AT = align(ERRNO_AT + Errors.CALL_STATE_LAYOUT.byteSize());
    private static final long SYS_BPF = sysBpf(Syscalls.ARCH);
    private static final Fields FIELDS = SYS_BPF > 0 ? Fields.ATTR : Fields.OPTS;
    private static final Call NORMAL = Call.of(false);
    private static final Call CRITICAL = Call.of(true);
    private static final AtomicLong INTERRUPTIONS = new AtomicLong();
    private static final byte[] NONE = new byte[0];
    private static final java.lang.invoke.VarHandle LONGS = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
            long[].class, java.nio.ByteOrder.nativeOrder());

    private TestRunCall() {
    }

    /**
     * What the kernel answered.
     *
     * @param errno        0, or the run's errno (after retries on EINTR)
     * @param dataSizeOut  the output data's full size (larger than the buffer with ENOSPC)
     * @param contextSizeOut the output context's size
     * @param contextIn      the input context buffer after the run (a syscall program writes there)
     * @param data           the output data: {@code data} itself (not a copy) when the program left the packet
     *                       as it was, as most verdict-only programs do; so whoever hands it on must not let it
     *                       be written
     */
    public record Outcome(int errno, int returnValue, byte[] data, int dataSizeOut, byte[] context,
                          int contextSizeOut, long durationNanos, byte[] contextIn) {
    }

    /**
     * A run the kernel refused: what it answered, for the caller to explain. Thrown rather than returned so
     * that a successful run allocates nothing here; without a stack trace, as the caller
     * turns it into its own exception.
     */
    public static final class Failure extends RuntimeException {
        private final transient Outcome outcome;

        Failure(Outcome outcome) {
            super("BPF_PROG_TEST_RUN failed with errno " + outcome.errno(), null, false, false);
            this.outcome = outcome;
        }

        public Outcome outcome() {
            return outcome;
        }
    }

    /**
     * Where the fields are. {@code ATTR}: {@code union bpf_attr}'s {@code test} member (the kernel's ABI,
     * stable since 4.12, each later field zero on a kernel that lacks it); {@code OPTS}: libbpf's
     * {@code struct bpf_test_run_opts} (libbpf 1.0-1.5, x86-64 and arm64 alike). -1: no such field.
     */
    private record Fields(long progFd, long dataIn, long dataOut, long dataSizeIn, long dataSizeOut, long ctxIn,
                          long ctxOut, long ctxSizeIn, long ctxSizeOut, long retval, long repeat, long duration,
                          long flags, long cpu, long batchSize, long optsSize) {
        static final Fields ATTR = new Fields(0, 16, 24, 8, 12, 48, 56, 40, 44, 4, 32, 36, 64, 68, 72, -1);
        static final Fields OPTS = new Fields(-1, 8, 16, 24, 28, 32, 40, 48, 52, 56, 60, 64, 68, 72, 76, 0);
    }

    /**
     * The downcall, in two kinds. A critical one leaves the thread "in Java" during the call, so it skips
     * the state transitions and safepoint checks around it; the price is that a garbage collection (any
     * safepoint) waits until the call returns and that the callee must not call back into Java. So it is
     * used only for brief runs of packet programs, which cannot sleep and take microseconds, and only
     * where no upcall can happen: the raw syscall, or libbpf's function, which with the 80-byte options
     * libbpf 1.x knows whole prints nothing (a print would be an upcall). Long runs (a large repeat count)
     * and sleepable programs (syscall programs) take the normal kind, which lets the JVM reach safepoints.
     *
     * <p>The critical syscall does not capture errno: capturing calls into the JVM and the C library after
     * every call, success or not, and on a VM where each system call empties the TLB those are pages to walk
     * again each run (about 3% of a run, scripts/bench-testrun). A brief run that fails is asked again by
     * the capturing kind ({@link #errnoOfFailed}).
     */
    private record Call(MethodHandle syscall, MethodHandle libbpf) {
        static Call of(boolean critical) {
            // long syscall(long number, ...): the variadic arguments as longs, as the C library reads them
            FunctionDescriptor syscallType = FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS,
                    JAVA_LONG);
            MemorySegment syscallAddress = NativeLibrary.LINKER.defaultLookup().find("syscall").orElseThrow();
            MethodHandle syscall = critical
                    ? NativeLibrary.LINKER.downcallHandle(syscallAddress, syscallType,
                            Linker.Option.firstVariadicArg(1), Linker.Option.critical(false))
                    : NativeLibrary.LINKER.downcallHandle(syscallAddress, syscallType,
                            Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));
            // bpf_prog_test_run_opts(int prog_fd, struct bpf_test_run_opts *opts), its address the first
            // argument: a constant handle the JIT inlines, for any loaded libbpf; it returns -errno itself
            MethodHandle libbpf = critical
                    ? NativeLibrary.LINKER.downcallHandle(FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS),
                            Linker.Option.critical(false))
                    : NativeLibrary.LINKER.downcallHandle(FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
            return new Call(syscall, libbpf);
        }
    }

    /** The errno of a test run of no program (fd -1): EBADF where the kernel has the command. */
    public static int probe(LibbpfApi api) {
        try {
            run(api, new Buffer(), -1, null, null, 0, 0, 1, 0, 0, false, false, false);
            return 0;
        } catch (Failure e) {
            return e.outcome().errno();
        }
    }

    /** How many runs, in this process, were cut short by a signal and run again. */
    public static long interruptions() {
        return INTERRUPTIONS.get();
    }

    /**
     * One test run of the program {@code fd} in {@code buffer}, which no other thread uses meanwhile: returns
     * the program's return value and leaves the output data, context and duration in the buffer.
     * {@code data} and {@code context} may be null;
     * output buffers of {@code dataOut}/{@code contextOut} bytes are passed when non-zero. {@code brief}:
     * the run takes microseconds and cannot sleep (a packet program, repeat at most {@link #BRIEF_REPEAT}),
     * so it may hold off safepoints for its duration. {@code errnoOnRetry}: a failed run of this input either
     * never ran the program or wrote the size that did not fit (see {@link #errnoOfFailed}), so a brief run
     * need not capture errno. {@code contextFromInput}: the result's context is the
     * input context buffer after the run (where a syscall program writes), not the output one.
     *
     * @throws Failure when the kernel refused the run (after retries on EINTR)
     */
    public static int run(LibbpfApi api, Buffer buffer, int fd, byte[] data, byte[] context, int dataOut,
                          int contextOut, int repeat, int flags, int cpu, boolean brief, boolean errnoOnRetry,
                          boolean contextFromInput) {
        Fields f = FIELDS;
        int dataIn = data == null ? 0 : data.length;
        int ctxIn = context == null ? 0 : context.length;
        long dataInAt = DATA_AT;
        long dataOutAt = align(dataInAt + dataIn);
        long ctxInAt = align(dataOutAt + dataOut);
        long ctxOutAt = align(ctxInAt + ctxIn);
        Scratch scratch = buffer.scratch(ctxOutAt + contextOut);
        MemorySegment block = scratch.block();
        MemorySegment function = SYS_BPF > 0 ? MemorySegment.NULL : api.testRunAddress();
        Call call = brief ? CRITICAL : NORMAL;
        int errno;
        int interrupted = 0;
        try {
            while (true) {
                // the packet only when another lies there: a run's input is immutable (TestRun copies it) and
                // the kernel only reads it; the context again on a retry, as a syscall program writes it back
                if (data == null) {
                    buffer.packet = null; // the context and outputs start where a packet lay
                } else if (buffer.packet != data) {
                    MemorySegment.copy(data, 0, block, JAVA_BYTE, dataInAt, dataIn);
                    buffer.packet = data;
                }
                if (context != null) {
                    MemorySegment.copy(context, 0, block, JAVA_BYTE, ctxInAt, ctxIn);
                }
                setOptions(f, block, fd, data != null, dataIn, dataOut, context != null, ctxIn, contextOut, repeat,
                        flags, cpu, dataInAt, dataOutAt, ctxInAt, ctxOutAt);
                if (SYS_BPF > 0 && brief && errnoOnRetry) {
                    long rc = (long) CRITICAL.syscall().invokeExact(SYS_BPF, (long) BPF_PROG_TEST_RUN, block, SIZE);
                    errno = rc == -1 ? errnoOfFailed(f, scratch, dataOut, contextOut, () -> setOptions(f, block, fd,
                            data != null, dataIn, dataOut, context != null, ctxIn, contextOut, repeat, flags, cpu,
                            dataInAt, dataOutAt, ctxInAt, ctxOutAt)) : 0;
                } else if (SYS_BPF > 0) {
                    errno = capturing(scratch);
                } else {
                    int rc = (int) call.libbpf().invokeExact(function, fd, block);
                    errno = rc < 0 ? -rc : 0;
                }
                if (errno != EINTR || ++interrupted > MAX_INTERRUPTIONS) {
                    break;
                }
                INTERRUPTIONS.incrementAndGet();
            }
        } catch (Throwable t) {
            throw Errors.rethrow(t);
        }
        int dataSize = block.get(JAVA_INT, f.dataSizeOut());
        int ctxSize = block.get(JAVA_INT, f.ctxSizeOut());
        // (an output as long as the input only counts when it fit: with ENOSPC the size is what did not)
        byte[] outData = dataOut == 0 ? NONE
                : data != null && dataSize == dataIn && dataIn <= dataOut && same(block, dataOutAt, data) ? data
                : copyOut(block, dataOutAt, Math.min(dataSize, dataOut));
        byte[] outCtx = contextOut == 0 ? NONE : copyOut(block, ctxOutAt, Math.min(ctxSize, contextOut));
        int returnValue = block.get(JAVA_INT, f.retval());
        long duration = Integer.toUnsignedLong(block.get(JAVA_INT, f.duration()));
        if (errno != 0) {
            throw new Failure(new Outcome(errno, returnValue, outData, dataSize, outCtx, ctxSize, duration,
                    context == null ? NONE : copyOut(block, ctxInAt, ctxIn)));
        }
        buffer.data = outData;
        buffer.context = contextFromInput && context != null ? copyOut(block, ctxInAt, ctxIn) : outCtx;
        buffer.duration = duration;
        return returnValue;
    }

    /**
     * The errno of a brief run that failed without capturing it, for inputs whose failed runs either never
     * ran the program (the kernel refused the input: nothing happened, so asking again is free of side
     * effects and gets the same answer, errno captured this time) or ran it and found an output buffer too
     * small (the kernel then wrote the full size over the buffer's, and ran it once already: ENOSPC without
     * a second run); the caller says which inputs ({@code errnoOnRetry}). A second attempt that succeeds (a
     * refusal that was transient) is the run. One exception, as before: a run of repeat 2 to 16 cut short
     * by a signal (EINTR) after some of its runs is run again whole, here without being counted in
     * {@link #interruptions()} unless the second attempt is cut short too.
     */
    private static int errnoOfFailed(Fields f, Scratch scratch, int dataOut, int contextOut, Runnable options)
            throws Throwable {
        MemorySegment block = scratch.block();
        if (Integer.toUnsignedLong(block.get(JAVA_INT, f.dataSizeOut())) > dataOut
                || Integer.toUnsignedLong(block.get(JAVA_INT, f.ctxSizeOut())) > contextOut) {
            return ENOSPC;
        }
        options.run();
        return capturing(scratch);
    }

    /** The run through the syscall that captures errno: 0 or the errno. */
    private static int capturing(Scratch scratch) throws Throwable {
        long rc = (long) NORMAL.syscall().invokeExact(scratch.errno(), SYS_BPF, (long) BPF_PROG_TEST_RUN,
                scratch.block(), SIZE);
        return rc == -1 ? Errors.errno(scratch.errno()) : 0;
    }

    // Written again before every attempt: the kernel overwrote the size fields with what it produced.
    // Pointers are written as addresses: no slice objects per run. Everything not set is zero: the
    // kernel refuses fields a command does not use (duration, batch size) unless they are.
    private static void setOptions(Fields f, MemorySegment opts, int fd, boolean hasData, int dataIn, int dataOut,
                                   boolean hasContext, int ctxIn, int ctxOut, int repeat, int flags, int cpu,
                                   long dataInAt, long dataOutAt, long ctxInAt, long ctxOutAt) {
        long base = opts.address();
        opts.set(JAVA_LONG, SIZE - 8, 0L);
        if (f.optsSize() >= 0) {
            opts.set(JAVA_LONG, f.optsSize(), SIZE);
        }
        if (f.progFd() >= 0) {
            opts.set(JAVA_INT, f.progFd(), fd);
        }
        opts.set(JAVA_INT, f.retval(), 0);
        opts.set(JAVA_INT, f.duration(), 0);
        opts.set(JAVA_INT, f.batchSize(), 0);
        opts.set(JAVA_LONG, f.dataIn(), hasData ? base + dataInAt : 0);
        opts.set(JAVA_LONG, f.dataOut(), dataOut > 0 ? base + dataOutAt : 0);
        opts.set(JAVA_INT, f.dataSizeIn(), dataIn);
        opts.set(JAVA_INT, f.dataSizeOut(), dataOut);
        opts.set(JAVA_LONG, f.ctxIn(), hasContext ? base + ctxInAt : 0);
        opts.set(JAVA_LONG, f.ctxOut(), ctxOut > 0 ? base + ctxOutAt : 0);
        opts.set(JAVA_INT, f.ctxSizeIn(), ctxIn);
        opts.set(JAVA_INT, f.ctxSizeOut(), ctxOut);
        opts.set(JAVA_INT, f.repeat(), repeat);
        opts.set(JAVA_INT, f.flags(), flags);
        opts.set(JAVA_INT, f.cpu(), cpu);
    }

    /** __NR_bpf of the architecture, or -1 where this class does not know it (libbpf is called instead). */
    private static long sysBpf(String arch) {
        return switch (arch) {
            case "amd64", "x86_64" -> 321;
            case "aarch64", "riscv64" -> 280; // the generic syscall table
            default -> -1;
        };
    }

    /** The options, errno, input and output block, and its errno slot as a segment of its own. */
    private record Scratch(MemorySegment block, MemorySegment errno) {
    }

    /**
     * The memory runs use, reused from run to run by one caller at a time (the program's object lock keeps
     * it to one): a fresh zeroed allocation per run costs more than a short run itself, and the kernel
     * writes only what it reports in the size fields, and only that much is read back. Held by the
     * program rather than by the thread: a run then touches the program's objects and its own buffer,
     * not the thread's map of thread-locals too, and on a VM where each system call empties the TLB
     * each page a run touches costs a page walk (scripts/bench-testrun).
     */
    public static final class Buffer {
        private Scratch scratch;
        /** The input packet whose bytes the block holds at {@link #DATA_AT}, or null. */
        private byte[] packet;
        private byte[] data = NONE;
        private byte[] context = NONE;
        private long duration;

        /**
         * The last successful run's output data (every successful run sets all three outputs; a failed one
         * throws before). A run hands its outputs over here rather than in a result it allocates: the
         * caller, small enough for the JIT to inline, allocates the {@link TestRunResult}, which a caller that
         * only looks at the verdict then never allocates (escape analysis); on this project's VMs an
         * allocation per run cost ~5% of a run (bench-testrun). The buffer keeps the outputs until the next
         * run: one packet's worth, and no stores (with their GC barriers) in the inlined path.
         */
        public byte[] data() {
            return data;
        }

        /** The last successful run's output context. */
        public byte[] context() {
            return context;
        }

        /** The last run's average duration in nanoseconds. */
        public long duration() {
            return duration;
        }

        /** Grown when a run needs more; freed with the last reference to it. */
        Scratch scratch(long size) {
            Scratch s = scratch;
            if (s == null || s.block().byteSize() < size) {
                MemorySegment block = Arena.ofAuto().allocate(Math.max(size, 8192), 8);
                s = new Scratch(block, block.asSlice(ERRNO_AT, Errors.CALL_STATE_LAYOUT.byteSize()));
                scratch = s;
                packet = null;
            }
            return s;
        }
    }

    /**
     * Whether the output equals the input: then the input array serves as the output. Each array a run
     * allocates is fresh heap memory to touch, which on this project's VMs (shadow page tables) costs more
     * than comparing 64 bytes (scripts/bench-testrun).
     */
    private static boolean same(MemorySegment block, long offset, byte[] data) {
        int i = 0;
        for (; i + 8 <= data.length; i += 8) {
            if (block.get(JAVA_LONG_UNALIGNED, offset + i) != (long) LONGS.get(data, i)) {
                return false;
            }
        }
        for (; i < data.length; i++) {
            if (block.get(JAVA_BYTE, offset + i) != data[i]) {
                return false;
            }
        }
        return true;
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
