package io.junitebpf.bpf;

import io.junitebpf.bpf.internal.ObjectHandle;
import io.junitebpf.bpf.internal.TestRunCall;

import java.util.List;

/**
 * {@link Program#testRun}: checks the input against what the program's type
 * takes, runs it, and turns the kernel's refusals into errors that say what to
 * change.
 */
final class TestRuns {

    /** ETH_HLEN: the kernel refuses shorter packets for every packet program type. */
    static final int ETHERNET_HEADER = 14;
    /**
     * XDP packets up to this size stay in one linear buffer: a page less the headroom (256) and the shared
     * info (320 on x86-64) is 3520 bytes, less a margin for other page and struct sizes.
     */
    static final int XDP_LINEAR = 3072;

    private TestRuns() {
    }

    /**
     * What a run needs of its program, read once: none of it changes while the object is loaded. The type's
     * answers are kept as booleans so that a run tests fields rather than switching on the enum: the run's
     * path stays small enough for the JIT to inline into the caller of {@link Program#testRun}, which keeps
     * a result the caller only looks at from being allocated (bench-testrun).
     * {@code packets}: the type runs on packet data. {@code contextOnly}: raw tracepoint or syscall, which take
     * a context and no data, refuse a context-out buffer and any repeat but 0 (= once).
     * {@code failsVisibly}: a failed run of this type never ran the program or wrote the size that did not
     * fit (XDP only up to {@link #XDP_LINEAR} bytes; see {@link #failsOnlyBeforeOrVisibly}).
     */
    record Target(int fd, ProgramType type, boolean packets, boolean contextOnly, boolean failsVisibly,
                  TestRunCall.Buffer buffer) {
        Target(int fd, ProgramType type) {
            this(fd, type, takesPackets(type), type == ProgramType.RAW_TRACEPOINT || type == ProgramType.SYSCALL,
                    switch (type) {
                        case XDP, SCHED_CLS, SCHED_ACT, FLOW_DISSECTOR -> true;
                        default -> false;
                    }, new TestRunCall.Buffer());
        }
    }

    static Target target(ObjectHandle handle, String name) {
        return handle.locked(() -> {
            var program = handle.program(name);
            int fd = handle.api().programFd(program);
            if (fd < 0) {
                throw new BpfException("test-run program '" + name + "'", "not loaded (its autoload was off)", 0,
                        List.of());
            }
            return new Target(fd, ProgramType.of(handle.api().programType(program)));
        });
    }

    /**
     * Runs once checked; the caller holds the object's lock (the monitor of its handle, as
     * {@code ObjectHandle.locked} takes it, without a lambda to allocate per run), so the object cannot close
     * (and its fd be reused) during the run, and takes the outputs from the target's buffer under it.
     *
     * @return the program's return value; the outputs wait in {@code target.buffer()}
     */
    static int run(ObjectHandle handle, String name, Target target, TestRun run) {
        handle.pointerHeld(); // throws when closed
        byte[] data = run.dataArray();
        if (target.packets() ? data == null || data.length < ETHERNET_HEADER : target.contextOnly() && data != null) {
            throw refusal(name, target.type(), run);
        }
        try {
            // the result's data may be the run's own input array: TestRunResult.data() hands out copies only
            return TestRunCall.run(handle.api(), target.buffer(), target.fd(), data, run.contextArray(),
                    data == null ? 0 : run.dataSizeOut(), target.contextOnly() ? 0 : run.contextSizeOut(),
                    run.repeat() == 1 ? 0 : run.repeat(), run.flagBits(), run.cpu(),
                    target.packets() && run.repeat() <= TestRunCall.BRIEF_REPEAT
                            && (run.flagBits() & TestRun.Flag.XDP_LIVE_FRAMES.bit()) == 0,
                    failsOnlyBeforeOrVisibly(target, data),
                    target.contextOnly() && target.type() == ProgramType.SYSCALL && run.contextSizeOut() > 0);
        } catch (TestRunCall.Failure e) {
            throw failure(operation(name), target.type(), run, e.outcome());
        }
    }

    /**
     * Whether a failed run of this type and input either never ran the program or ran it and wrote the size
     * that did not fit (ENOSPC): then its errno can be learnt by asking again, and the run need not capture
     * it. Not so for an XDP packet beyond one page's linear room (the kernel splits it into fragments and
     * fails a short output buffer before writing any size), nor for skb programs below layer 2 (socket
     * filter, cgroup skb, lwt: the kernel may fail to make room for the link header after the run).
     */
    private static boolean failsOnlyBeforeOrVisibly(Target target, byte[] data) {
        return target.failsVisibly() && (target.type() != ProgramType.XDP
                || data != null && data.length <= XDP_LINEAR);
    }

    /**
     * Why an input does not suit the type: no packet, a packet shorter than an Ethernet header, or data for a
     * type that takes only a context.
     */
    private static IllegalArgumentException refusal(String name, ProgramType type, TestRun run) {
        if (takesPackets(type) && run.dataArray() == null) {
            return new IllegalArgumentException(operation(name) + ": a " + type + " program runs on packet data"
                    + " (use TestRun.data(packet))");
        }
        if (takesPackets(type)) {
            return new IllegalArgumentException(operation(name) + ": packet of " + run.dataArray().length
                    + " bytes is shorter than an Ethernet header (" + ETHERNET_HEADER + " bytes)");
        }
        return new IllegalArgumentException(operation(name) + ": a " + type + " program takes no packet data, only a"
                + " context (use TestRun.context(bytes))");
    }

    private static String operation(String name) {
        return "test-run program '" + name + "'";
    }

    private static boolean takesPackets(ProgramType type) {
        return switch (type) {
            case XDP, SCHED_CLS, SCHED_ACT, SOCKET_FILTER, CGROUP_SKB, FLOW_DISSECTOR, LWT_IN, LWT_OUT, LWT_XMIT,
                 LWT_SEG6LOCAL -> true;
            default -> false;
        };
    }

    private static RuntimeException failure(String operation, ProgramType type, TestRun run,
                                            TestRunCall.Outcome out) {
        Errno errno = Errno.of(out.errno());
        return switch (errno) {
            case ENOTSUPP, EOPNOTSUPP -> {
                String since = type.testRunSince();
                boolean expected = since != null
                        && KernelVersion.running().compareTo(KernelVersion.parse(since)) >= 0;
                yield new FeatureUnavailableException(KernelFeature.PROG_TEST_RUN, "Linux "
                        + KernelVersion.running() + " cannot test-run " + type + " programs ("
                        + (since == null ? "no kernel can" : "that needs Linux " + since + "+") + ")", expected);
            }
            case ENOSPC -> new BpfException(operation, out.dataSizeOut() > run.dataSizeOut()
                    ? "the output packet of " + out.dataSizeOut() + " bytes does not fit the " + run.dataSizeOut()
                    + "-byte buffer (TestRun.withDataSizeOut(" + out.dataSizeOut() + "))"
                    : out.contextSizeOut() <= run.contextSizeOut() && run.dataArray() != null
                    ? "the output packet does not fit the " + run.dataSizeOut() + "-byte buffer (a packet in"
                    + " fragments, whose size the kernel does not say: give at least the input's, TestRun"
                    + ".withDataSizeOut(" + Math.max(run.dataArray().length, run.dataSizeOut() + 1) + "))"
                    : "the output context of " + out.contextSizeOut() + " bytes does not fit the "
                    + run.contextSizeOut() + "-byte buffer (TestRun.withContextSizeOut(" + out.contextSizeOut()
                    + "))", out.errno(), List.of());
            case EINTR -> new BpfException(operation, "cut short by signals " + TestRunCall.MAX_INTERRUPTIONS
                    + " times in a row (a profiler? lower the repeat count)", out.errno(), List.of());
            case EINVAL -> new BpfException(operation, "the kernel refused " + run + " (" + invalidHint(type) + ")",
                    out.errno(), List.of());
            case E2BIG -> new BpfException(operation, "the context of " + (run.contextArray() == null ? 0
                    : run.contextArray().length) + " bytes is"
                    + " longer than the kernel's context struct of a " + type + " program, and the bytes beyond it"
                    + " are not zero (give the struct's size: " + invalidHint(type) + "; junit-ebpf's TypedContext"
                    + " lays a record out as the kernel's struct)", out.errno(), List.of());
            case EPERM, EACCES -> new BpfException(operation, "not permitted (needs CAP_BPF and CAP_NET_ADMIN, or"
                    + " root; fentry/fexit programs may be refused under lockdown)", out.errno(), List.of());
            default -> new BpfException(operation, "failed with " + run, out.errno(), List.of());
        };
    }

    private static String invalidHint(ProgramType type) {
        return switch (type) {
            case XDP -> "XDP data must be " + ETHERNET_HEADER + " bytes up to a page minus headroom; a context"
                    + " is a 24-byte struct xdp_md whose data/data_end match the packet; no cpu flag";
            case SCHED_CLS, SCHED_ACT, SOCKET_FILTER, CGROUP_SKB, LWT_IN, LWT_OUT, LWT_XMIT, LWT_SEG6LOCAL ->
                    "skb data must be " + ETHERNET_HEADER + " bytes up to a page; a context is a struct __sk_buff"
                    + " of at most its size with only writable fields set; no cpu flag";
            case FLOW_DISSECTOR -> "flow dissector data must hold an Ethernet header; a context is a struct"
                    + " bpf_flow_keys; no repeat-independent flags";
            case RAW_TRACEPOINT -> "a raw tracepoint takes only a context of the tracepoint's arguments (8 bytes"
                    + " each, at most 12), no data, repeat 1 and only the cpu flag";
            case SYSCALL -> "a syscall program takes only a context (at most a page), no data, repeat 1, no flags";
            default -> "see the kernel's bpf_prog_test_run_* for " + type;
        };
    }
}
