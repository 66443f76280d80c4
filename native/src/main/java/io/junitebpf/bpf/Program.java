package io.junitebpf.bpf;

import io.junitebpf.bpf.internal.Attacher;
import io.junitebpf.bpf.internal.LinkHandle;
import io.junitebpf.bpf.internal.ObjectHandle;
import io.junitebpf.bpf.internal.TestRunCall;

import java.util.List;
import java.util.Objects;

/**
 * A program of a {@link LoadedObject}, and the ways to attach it. Every attach
 * returns a {@link Link}; the object closes the links it made when it closes.
 */
public final class Program {

    private final LoadedObject owner;
    private final ObjectHandle handle;
    private final String name;
    private final Attacher attacher;
    private volatile TestRuns.Target testRunTarget;

    Program(LoadedObject owner, ObjectHandle handle, String name) {
        this.owner = owner;
        this.handle = handle;
        this.name = name;
        this.attacher = new Attacher(handle, name);
    }

    /** The program's function name. */
    public String name() {
        return name;
    }

    /** The ELF section ({@code SEC()}), e.g. "uprobe/umark:func_uprobe2". */
    public String section() {
        return handle.withArena(a -> handle.api().programSection(handle.program(name)));
    }

    /**
     * The program's kernel id (as {@code bpftool prog} shows it), or -1 when it
     * was not loaded. Used to check that nothing keeps it alive after close.
     */
    public int id() {
        int fd = handle.withArena(a -> handle.api().programFd(handle.program(name)));
        if (fd < 0) {
            return -1;
        }
        return new io.junitebpf.bpf.internal.KernelIds(handle.api())
                .infoByFd(io.junitebpf.bpf.internal.KernelIds.Kind.PROG, fd, "program '" + name + "'").id();
    }

    /** The program's type, as libbpf derived it from its {@code SEC()}. */
    public ProgramType type() {
        return ProgramType.of(handle.withArena(a -> handle.api().programType(handle.program(name))));
    }

    /**
     * Runs the program once (or {@link TestRun#withRepeat repeat} times) on the
     * given input in the kernel ({@code BPF_PROG_TEST_RUN}), without attaching it.
     * A run cut short by a signal is run again.
     *
     * @throws FeatureUnavailableException when the kernel cannot test-run this program's type
     * @throws IllegalArgumentException    when the input does not suit the type (no packet, a packet shorter
     *                                     than an Ethernet header, data for a raw tracepoint)
     * @throws BpfException                when the kernel refuses the input (EINVAL, with what the type takes)
     *                                     or the output does not fit (ENOSPC, with the size to give)
     */
    public TestRunResult testRun(TestRun run) {
        Objects.requireNonNull(run, "run");
        TestRuns.Target target = testRunTarget;
        if (target == null) {
            target = testRunTarget();
        }
        TestRunCall.Buffer buffer = target.buffer();
        synchronized (handle) { // no other run's outputs in the buffer meanwhile, no close during the run
            int returnValue = TestRuns.run(handle, name, target, run);
            // built here, in a method small enough for the JIT to inline into its caller, so that a result the
            // caller only looks at is never allocated (an allocation per run cost ~5% of it, bench-testrun)
            return new TestRunResult(returnValue, buffer.data(), buffer.context(), buffer.duration());
        }
    }

    private TestRuns.Target testRunTarget() {
        TestRuns.Target target = TestRuns.target(handle, name);
        testRunTarget = target;
        return target;
    }

    /**
     * The verifier's log of this program's load; empty unless the object was opened with a kernel
     * log level ({@link ObjectOptions#withKernelLogLevel}, e.g. {@link ObjectOptions#LOG_STATS}).
     */
    public List<String> verifierLog() {
        return handle.verifierLog(name);
    }

    /**
     * The verifier's statistics of this program's load (instructions processed, states), from its log:
     * present when the object was opened with a kernel log level, e.g. {@link ObjectOptions#LOG_STATS}.
     */
    public java.util.Optional<VerifierStats> verifierStats() {
        return VerifierStats.parse(verifierLog());
    }

    /**
     * The instructions the verifier processed for this program, as the kernel reports it
     * ({@code bpf_prog_info.verified_insns}, Linux 5.16), without a log; empty on older kernels.
     *
     * @throws BpfException when the program was not loaded
     */
    public java.util.OptionalLong verifiedInstructions() {
        int fd = handle.withArena(a -> handle.api().programFd(handle.program(name)));
        if (fd < 0) {
            throw new BpfException("read verifier statistics of program '" + name + "'", "not loaded (its autoload"
                    + " was off)", 0, List.of());
        }
        int count = new io.junitebpf.bpf.internal.KernelIds(handle.api()).verifiedInstructions(fd,
                "program '" + name + "'");
        return count == 0 ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(count);
    }

    /** Whether the program was loaded (autoload on). */
    public boolean loaded() {
        return handle.withArena(a -> handle.api().programFd(handle.program(name)) >= 0);
    }

    /**
     * Attaches at the point its {@code SEC()} declares ({@code bpf_program__attach}),
     * e.g. {@code SEC("tracepoint/syscalls/sys_enter_execve")}. A binary named
     * without a directory in a uprobe or USDT section is looked up on PATH by libbpf.
     */
    public Link attach() {
        String section = section();
        String target = "its SEC(\"" + section + "\")";
        new ProbePrecheck(name).section(section, target);
        return link(attacher.auto(target));
    }

    /** Attaches a uprobe or uretprobe ({@code bpf_program__attach_uprobe_opts}). */
    public Link attachUprobe(Uprobe probe) {
        Objects.requireNonNull(probe, "probe");
        new ProbePrecheck(name).uprobe(probe);
        return link(attacher.uprobe(probe.binary().toString(), probe.function(), probe.offset(), probe.retprobe(),
                probe.pid(), probe.cookie(), probe.refCtrOffset(), probe.toString()));
    }

    /** Attaches to a USDT probe ({@code bpf_program__attach_usdt}); semaphores are handled by libbpf. */
    public Link attachUsdt(Usdt usdt) {
        Objects.requireNonNull(usdt, "usdt");
        new ProbePrecheck(name).usdt(usdt);
        return link(attacher.usdt(usdt.binary().toString(), usdt.provider(), usdt.name(), usdt.pid(), usdt.cookie(),
                usdt.toString()));
    }

    /** Attaches to a tracepoint, e.g. ("syscalls", "sys_enter_execve") ({@code bpf_program__attach_tracepoint}). */
    public Link attachTracepoint(String category, String event) {
        requireName(category, "tracepoint category");
        requireName(event, "tracepoint name");
        KernelFeatures.require(KernelFeature.TRACEFS);
        return link(attacher.tracepoint(category, event, "tracepoint " + category + ":" + event));
    }

    /** Attaches to a raw tracepoint, e.g. "sched_switch". */
    public Link attachRawTracepoint(String event) {
        requireName(event, "raw tracepoint name");
        return link(attacher.rawTracepoint(event, "raw tracepoint " + event));
    }

    /**
     * Attaches a kprobe or kretprobe to a kernel function or syscall
     * ({@code bpf_program__attach_kprobe}, {@code bpf_program__attach_ksyscall}).
     *
     * @throws FeatureUnavailableException when the kernel has no kprobes (CONFIG_KPROBES off)
     */
    public Link attachKprobe(Kprobe probe) {
        Objects.requireNonNull(probe, "probe");
        KernelFeatures.require(KernelFeature.KPROBES);
        return link(probe.syscall() ? attacher.ksyscall(probe.function(), probe.retprobe(), 0, probe.toString())
                : attacher.kprobe(probe.function(), probe.retprobe(), probe.toString()));
    }

    private Link link(LinkHandle link) {
        return owner.own(new Link(link, owner));
    }

    private static void requireName(String value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isBlank()) {
            throw new IllegalArgumentException("attach: empty " + what);
        }
    }

    @Override
    public String toString() {
        return "Program[" + name + "]";
    }

    // ---- networking: XDP and tc (NetworkAttach) ----------------------------------------------

    /**
     * Attaches an XDP program ({@code SEC("xdp")}) to a network interface of this process's
     * network namespace through a bpf_link ({@code bpf_program__attach_xdp}, Linux 5.9): the
     * program detaches when the link closes, and the kernel detaches it by itself if the
     * interface goes away. The kernel runs it in the driver where the driver has XDP support
     * (veth does), else in generic mode.
     */
    public Link attachXdp(String interfaceName) {
        return network().xdp(interfaceName);
    }

    /** As {@link #attachXdp(String)}, by interface index. */
    public Link attachXdp(int ifindex) {
        return network().xdp(ifindex);
    }

    /**
     * Attaches a tc program ({@code SEC("tc")}, type sched_cls) to an interface of this process's
     * network namespace in direct-action mode, creating the interface's clsact qdisc when it has
     * none ({@code bpf_tc_hook_create}, {@code bpf_tc_attach}). The returned filter closes with
     * this program's object; see {@link TcFilter#close()} for what closing removes.
     */
    public TcFilter attachTc(String interfaceName, TcAttachPoint point) {
        return network().tc(interfaceName, point);
    }

    /** As {@link #attachTc(String, TcAttachPoint)}, by interface index. */
    public TcFilter attachTc(int ifindex, TcAttachPoint point) {
        return network().tc(ifindex, point);
    }

    private NetworkAttach network() {
        return new NetworkAttach(owner, handle, name, attacher);
    }
}
