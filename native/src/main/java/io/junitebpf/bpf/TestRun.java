package io.junitebpf.bpf;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The input of one {@link Program#testRun} ({@code BPF_PROG_TEST_RUN}): packet
 * data, a context, how often to run and where. Immutable; each {@code with}
 * method returns a new instance. Packet programs (XDP, tc, socket filter,
 * cgroup skb, flow dissector) take {@link #data}; raw tracepoint and syscall
 * programs take only a {@link #context}.
 */
public final class TestRun {

    /** Room for output data beyond the input: covers any growth within a page (bpf_xdp_adjust_head etc.). */
    public static final int DEFAULT_DATA_GROWTH = 4096;

    /** {@code BPF_F_TEST_*} flags of a test run. */
    public enum Flag {
        /** BPF_F_TEST_RUN_ON_CPU: run on {@link #cpu()} (raw tracepoints only); set by {@link #onCpu}. */
        RUN_ON_CPU(1),
        /** BPF_F_TEST_XDP_LIVE_FRAMES: XDP verdicts act on real frames (Linux 5.18). */
        XDP_LIVE_FRAMES(2),
        /** BPF_F_TEST_SKB_CHECKSUM_COMPLETE: the skb carries CHECKSUM_COMPLETE (Linux 6.1). */
        SKB_CHECKSUM_COMPLETE(4);

        private final int bit;

        Flag(int bit) {
            this.bit = bit;
        }

        /** The kernel's bit. */
        public int bit() {
            return bit;
        }
    }

    private final byte[] data;
    private final byte[] context;
    private final int dataSizeOut;
    private final int contextSizeOut;
    private final int repeat;
    private final int cpu;
    private final Set<Flag> flags;
    private final int flagBits; // computed once: a run reads it on every call, and iterating a set allocates

    private TestRun(byte[] data, byte[] context, int dataSizeOut, int contextSizeOut, int repeat, int cpu,
                    Set<Flag> flags) {
        this.data = data;
        this.context = context;
        this.dataSizeOut = dataSizeOut;
        this.contextSizeOut = contextSizeOut;
        this.repeat = repeat;
        this.cpu = cpu;
        this.flags = flags;
        int bits = 0;
        for (Flag f : flags) {
            bits |= f.bit();
        }
        this.flagBits = bits;
    }

    /** A run on the packet {@code data} (a copy is kept), with room for it to grow by {@link #DEFAULT_DATA_GROWTH}. */
    public static TestRun data(byte[] data) {
        Objects.requireNonNull(data, "data");
        return new TestRun(data.clone(), null, data.length + DEFAULT_DATA_GROWTH, 0, 1, 0, Set.of());
    }

    /** A run with only a context (raw tracepoint arguments, a syscall program's struct); its output as long. */
    public static TestRun context(byte[] context) {
        Objects.requireNonNull(context, "context");
        return new TestRun(null, context.clone(), 0, context.length, 1, 0, Set.of());
    }

    /** The same run with a context as well (e.g. a {@code struct xdp_md}); its output as long. */
    public TestRun withContext(byte[] context) {
        Objects.requireNonNull(context, "context");
        return new TestRun(data, context.clone(), dataSizeOut, context.length, repeat, cpu, flags);
    }

    /** Room for the output data in bytes: more than the program's output makes the run fail with ENOSPC. */
    public TestRun withDataSizeOut(int bytes) {
        requireNonNegative(bytes, "data size out");
        return new TestRun(data, context, bytes, contextSizeOut, repeat, cpu, flags);
    }

    /** Room for the output context in bytes (0: the context is not copied back). */
    public TestRun withContextSizeOut(int bytes) {
        requireNonNegative(bytes, "context size out");
        return new TestRun(data, context, dataSizeOut, bytes, repeat, cpu, flags);
    }

    /** Runs the program {@code times} times in the kernel; the result reports the average duration. */
    public TestRun withRepeat(int times) {
        if (times < 1) {
            throw new IllegalArgumentException("test run: repeat " + times + " (give 1 or more)");
        }
        return new TestRun(data, context, dataSizeOut, contextSizeOut, times, cpu, flags);
    }

    /** Runs on CPU {@code cpu} (raw tracepoint programs only): sets {@link Flag#RUN_ON_CPU}. */
    public TestRun onCpu(int cpu) {
        requireNonNegative(cpu, "cpu");
        return new TestRun(data, context, dataSizeOut, contextSizeOut, repeat, cpu, with(Flag.RUN_ON_CPU));
    }

    /** Adds a {@code BPF_F_TEST_*} flag. */
    public TestRun withFlag(Flag flag) {
        Objects.requireNonNull(flag, "flag");
        return new TestRun(data, context, dataSizeOut, contextSizeOut, repeat, cpu, with(flag));
    }

    /** The input data (a copy), or null. */
    public byte[] data() {
        return data == null ? null : data.clone();
    }

    /** The input context (a copy), or null. */
    public byte[] context() {
        return context == null ? null : context.clone();
    }

    public int dataSizeOut() {
        return dataSizeOut;
    }

    public int contextSizeOut() {
        return contextSizeOut;
    }

    public int repeat() {
        return repeat;
    }

    public int cpu() {
        return cpu;
    }

    public Set<Flag> flags() {
        return flags;
    }

    /** The flags as the kernel's bit mask. */
    public int flagBits() {
        return flagBits;
    }

    // Read without copies by the program's run, which copies into native memory itself.
    byte[] dataArray() {
        return data;
    }

    byte[] contextArray() {
        return context;
    }

    private Set<Flag> with(Flag flag) {
        EnumSet<Flag> all = EnumSet.of(flag);
        all.addAll(flags);
        return Set.copyOf(all);
    }

    private static void requireNonNegative(int value, String what) {
        if (value < 0) {
            throw new IllegalArgumentException("test run: negative " + what + " " + value);
        }
    }

    @Override
    public String toString() {
        return "TestRun[data=" + (data == null ? "none" : data.length + " bytes") + ", context="
                + (context == null ? "none" : context.length + " bytes") + ", repeat=" + repeat
                + (flags.isEmpty() ? "" : ", flags=" + flags) + (flags.contains(Flag.RUN_ON_CPU) ? ", cpu=" + cpu : "")
                + "]";
    }
}
