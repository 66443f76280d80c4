package io.junitebpf.bpf;

/**
 * The kernel's {@code enum bpf_prog_type}, in its order (the ordinal is the
 * kernel's number). {@link #toString()} gives the kernel's name, e.g.
 * {@code BPF_PROG_TYPE_XDP}.
 */
public enum ProgramType {
    UNSPEC, SOCKET_FILTER, KPROBE, SCHED_CLS, SCHED_ACT, TRACEPOINT, XDP, PERF_EVENT, CGROUP_SKB, CGROUP_SOCK,
    LWT_IN, LWT_OUT, LWT_XMIT, SOCK_OPS, SK_SKB, CGROUP_DEVICE, SK_MSG, RAW_TRACEPOINT, CGROUP_SOCK_ADDR,
    LWT_SEG6LOCAL, LIRC_MODE2, SK_REUSEPORT, FLOW_DISSECTOR, CGROUP_SYSCTL, RAW_TRACEPOINT_WRITABLE,
    CGROUP_SOCKOPT, TRACING, STRUCT_OPS, EXT, LSM, SK_LOOKUP, SYSCALL, NETFILTER;

    private static final ProgramType[] VALUES = values();

    /** The kernel's number for this type. */
    public int value() {
        return ordinal();
    }

    /**
     * The type with the kernel's number {@code value}.
     *
     * @throws IllegalArgumentException for a number newer than this library knows
     */
    public static ProgramType of(int value) {
        if (value < 0 || value >= VALUES.length) {
            throw new IllegalArgumentException("program type " + value + " is not a known enum bpf_prog_type value"
                    + " (this library knows 0.." + (VALUES.length - 1) + ")");
        }
        return VALUES[value];
    }

    /**
     * The first kernel whose {@code BPF_PROG_TEST_RUN} runs this type, or null
     * when no kernel does. Only decides whether a refusal was expected; whether
     * a run works is asked of the running kernel.
     */
    public String testRunSince() {
        return switch (this) {
            case SOCKET_FILTER, SCHED_CLS, SCHED_ACT, XDP, LWT_IN, LWT_OUT, LWT_XMIT, LWT_SEG6LOCAL -> "4.12";
            case CGROUP_SKB -> "4.20";
            case FLOW_DISSECTOR -> "5.0";
            case TRACING -> "5.5";
            case RAW_TRACEPOINT -> "5.10";
            case SK_LOOKUP -> "5.13";
            case SYSCALL -> "5.14";
            case NETFILTER -> "6.4";
            default -> null;
        };
    }

    @Override
    public String toString() {
        return "BPF_PROG_TYPE_" + name();
    }
}
