package io.junitebpf.bpf;

import io.junitebpf.bpf.internal.Attacher;
import io.junitebpf.elf.ElfException;
import io.junitebpf.elf.ElfFile;
import io.junitebpf.bpf.internal.LinkHandle;
import io.junitebpf.bpf.internal.ObjectHandle;

import java.nio.file.Files;
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
            target = TestRuns.target(handle, name);
            testRunTarget = target;
        }
        return TestRuns.run(handle, name, target, run);
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
        precheckSection(section, target);
        return link(attacher.auto(target));
    }

    /**
     * For {@code usdt/BINARY:PROVIDER:NAME} and {@code u[ret]probe/BINARY:FUNCTION}
     * sections, finds the binary as libbpf would (PATH for a bare name) and checks
     * the probe exists, so a typo is reported with what the binary does have.
     */
    private void precheckSection(String section, String target) {
        int slash = section.indexOf('/');
        if (slash < 0) {
            return;
        }
        String kind = section.substring(0, slash);
        String[] parts = section.substring(slash + 1).split(":");
        boolean usdt = kind.equals("usdt") && parts.length == 3;
        boolean uprobe = (kind.equals("uprobe") || kind.equals("uretprobe")) && parts.length == 2
                && !parts[1].contains("+") && !parts[1].startsWith("0x");
        if (!usdt && !uprobe) {
            return;
        }
        java.util.Optional<java.nio.file.Path> binary = resolveBinary(parts[0]);
        if (binary.isEmpty()) {
            if (!parts[0].contains("/") && !parts[0].contains(".so")) {
                throw new BpfException("attach program '" + name + "' to " + target, "binary '" + parts[0]
                        + "' not found on PATH (" + ProcessEnvironment.path() + ")", 0, List.of());
            }
            return;
        }
        if (usdt) {
            precheckUsdt(binary.get(), parts[1], parts[2], true, target);
        } else {
            precheck(target, () -> ElfFile.read(binary.get()).fileOffset(parts[1]));
        }
    }

    /**
     * Without BPF cookies (kernels before 5.15) libbpf cannot tell USDT call
     * sites apart in a position-independent binary for all processes at once.
     */
    private static void requireCookiesForPositionIndependent(java.nio.file.Path binary, ElfFile elf) {
        if (KernelFeatures.has(KernelFeature.BPF_COOKIE)
                || elf.header().type() != io.junitebpf.elf.ElfHeader.Type.DYN) {
            return;
        }
        throw new FeatureUnavailableException(KernelFeature.BPF_COOKIE, "USDT in the position-independent "
                + binary + " for all processes needs BPF cookies, which Linux " + KernelVersion.running()
                + " lacks; attach per pid (Usdt.withPid) or build the target -no-pie",
                KernelFeatures.expected(KernelFeature.BPF_COOKIE));
    }

    /**
     * The USDT checks of an explicit and of a SEC()-declared attach, on one read of the ELF: the probe
     * exists, and (for all processes) the kernel can attach to it in this binary.
     */
    private void precheckUsdt(java.nio.file.Path binary, String provider, String probe, boolean allProcesses,
                              String target) {
        ElfFile elf = precheck(target, () -> {
            ElfFile file = ElfFile.read(binary);
            file.usdtProbe(provider, probe);
            return file;
        });
        if (allProcesses) {
            requireCookiesForPositionIndependent(binary, elf);
        }
    }

    private static java.util.Optional<java.nio.file.Path> resolveBinary(String binary) {
        if (binary.contains("/")) {
            java.nio.file.Path p = java.nio.file.Path.of(binary);
            return Files.isRegularFile(p) ? java.util.Optional.of(p) : java.util.Optional.empty();
        }
        if (binary.contains(".so")) {
            return java.util.Optional.empty(); // libbpf searches the library paths; leave it to libbpf
        }
        for (String dir : ProcessEnvironment.path().split(":")) {
            java.nio.file.Path p = java.nio.file.Path.of(dir.isEmpty() ? "." : dir, binary);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return java.util.Optional.of(p);
            }
        }
        return java.util.Optional.empty();
    }

    /** Attaches a uprobe or uretprobe ({@code bpf_program__attach_uprobe_opts}). */
    public Link attachUprobe(Uprobe probe) {
        Objects.requireNonNull(probe, "probe");
        requireFile(probe.binary().toString(), probe.toString());
        if (probe.function() != null && probe.binary().toString().contains("/")) {
            precheck(probe.toString(), () -> ElfFile.read(probe.binary()).fileOffset(probe.function()));
        }
        return link(attacher.uprobe(probe.binary().toString(), probe.function(), probe.offset(), probe.retprobe(),
                probe.pid(), probe.cookie(), probe.refCtrOffset(), probe.toString()));
    }

    /** Attaches to a USDT probe ({@code bpf_program__attach_usdt}); semaphores are handled by libbpf. */
    public Link attachUsdt(Usdt usdt) {
        Objects.requireNonNull(usdt, "usdt");
        requireFile(usdt.binary().toString(), usdt.toString());
        if (usdt.binary().toString().contains("/")) {
            precheckUsdt(usdt.binary(), usdt.provider(), usdt.name(), usdt.pid() == -1, usdt.toString());
        }
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

    /**
     * Looks the probe up in the ELF first: libbpf's own "not found" says less
     * than ours, which lists what the binary does have.
     */
    private <T> T precheck(String target, java.util.function.Supplier<T> lookup) {
        try {
            return lookup.get();
        } catch (ElfException e) {
            throw new BpfException("attach program '" + name + "' to " + target, e.getMessage(), 0, List.of(), e);
        }
    }

    private static void requireName(String value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isBlank()) {
            throw new IllegalArgumentException("attach: empty " + what);
        }
    }

    private void requireFile(String path, String target) {
        java.nio.file.Path p = java.nio.file.Path.of(path);
        if (path.contains("/") && !Files.isRegularFile(p)) {
            throw new BpfException("attach program '" + name + "' to " + target,
                    Files.exists(p) ? "not a regular file" : "no such file", 0, List.of());
        }
    }

    @Override
    public String toString() {
        return "Program[" + name + "]";
    }

    // ---- networking: XDP and tc ----------------------------------------------------------------

    private static final int PROG_TYPE_SCHED_CLS = 3;
    private static final int PROG_TYPE_XDP = 6;

    /**
     * Attaches an XDP program ({@code SEC("xdp")}) to a network interface of this process's
     * network namespace through a bpf_link ({@code bpf_program__attach_xdp}, Linux 5.9): the
     * program detaches when the link closes, and the kernel detaches it by itself if the
     * interface goes away. The kernel runs it in the driver where the driver has XDP support
     * (veth does), else in generic mode.
     */
    public Link attachXdp(String interfaceName) {
        String target = "XDP of interface '" + interfaceName + "'";
        return attachXdp(interfaceIndex(interfaceName, target), target);
    }

    /** As {@link #attachXdp(String)}, by interface index. */
    public Link attachXdp(int ifindex) {
        String target = "XDP of interface index " + ifindex;
        requireInterface(ifindex, target);
        return attachXdp(ifindex, target);
    }

    private Link attachXdp(int ifindex, String target) {
        requireProgramType(PROG_TYPE_XDP, "xdp", target);
        try {
            return link(attacher.xdp(ifindex, target + (target.contains("index") ? "" : " (index " + ifindex + ")")));
        } catch (BpfException e) {
            throw networkFailure(e, ifindex, "XDP links need Linux 5.9");
        }
    }

    /**
     * Attaches a tc program ({@code SEC("tc")}, type sched_cls) to an interface of this process's
     * network namespace in direct-action mode, creating the interface's clsact qdisc when it has
     * none ({@code bpf_tc_hook_create}, {@code bpf_tc_attach}). The returned filter closes with
     * this program's object; see {@link TcFilter#close()} for what closing removes.
     */
    public TcFilter attachTc(String interfaceName, TcAttachPoint point) {
        Objects.requireNonNull(point, "attach point");
        String target = "tc " + point.name().toLowerCase(java.util.Locale.ROOT) + " of interface '"
                + interfaceName + "'";
        return attachTc(interfaceIndex(interfaceName, target), point, target);
    }

    /** As {@link #attachTc(String, TcAttachPoint)}, by interface index. */
    public TcFilter attachTc(int ifindex, TcAttachPoint point) {
        Objects.requireNonNull(point, "attach point");
        String target = "tc " + point.name().toLowerCase(java.util.Locale.ROOT) + " of interface index " + ifindex;
        requireInterface(ifindex, target);
        return attachTc(ifindex, point, target);
    }

    private TcFilter attachTc(int ifindex, TcAttachPoint point, String target) {
        requireProgramType(PROG_TYPE_SCHED_CLS, "sched_cls", target);
        String description = target + (target.contains("index") ? "" : " (index " + ifindex + ")");
        String operation = "attach program '" + name + "' of " + handle.displayName() + " to " + description;
        int fd = handle.withArena(a -> handle.api().programFd(handle.program(name)));
        if (fd < 0) {
            throw new IllegalStateException(operation + ": the program is not loaded (load the object first, "
                    + "with the program's autoload on)");
        }
        int attachPoint = point == TcAttachPoint.INGRESS ? io.junitebpf.bpf.internal.TcFilterHandle.INGRESS
                : io.junitebpf.bpf.internal.TcFilterHandle.EGRESS;
        try {
            return owner.own(new TcFilter(io.junitebpf.bpf.internal.TcFilterHandle.attach(handle.api(), fd, ifindex,
                    attachPoint, operation, description), owner, point));
        } catch (BpfException e) {
            throw networkFailure(e, ifindex, "the clsact qdisc needs CONFIG_NET_SCH_INGRESS, BPF filters "
                    + "CONFIG_NET_CLS_BPF");
        }
    }

    /** The program's type checked before the kernel sees it: its EINVAL would not say what was wrong. */
    private void requireProgramType(int expected, String expectedName, String target) {
        int actual = handle.withArena(a -> handle.api().programType(handle.program(name)));
        if (actual == expected) {
            return;
        }
        String actualName = handle.api().programTypeName(actual);
        String section = section();
        throw new BpfException("attach program '" + name + "' to " + target, "it is a "
                + (actualName == null ? "type " + actual : actualName) + " program (SEC(\"" + section
                + "\")), and only " + expectedName + " programs attach there (SEC(\""
                + (expected == PROG_TYPE_XDP ? "xdp" : "tc") + "\"))", 0, List.of());
    }

    /** An interface gone between lookup and attach is reported as such, not as a bare ENODEV. */
    private static BpfException networkFailure(BpfException e, int ifindex, String hint) {
        if (e.errno() == Errno.ENODEV || !interfaceExists(ifindex)) {
            return new BpfException(e.operation(), "the interface with index " + ifindex
                    + " no longer exists (was it deleted, or its network namespace?)", e.errnoCode(), e.log(), e);
        }
        if (e.errno() == Errno.EINVAL || e.errno() == Errno.EOPNOTSUPP) {
            return new BpfException(e.operation(), "failed (" + hint + ")", e.errnoCode(), e.log(), e);
        }
        return e;
    }

    private static int interfaceIndex(String interfaceName, String target) {
        Objects.requireNonNull(interfaceName, "interface name");
        if (interfaceName.isBlank()) {
            throw new IllegalArgumentException("attach to " + target + ": empty interface name");
        }
        try {
            java.net.NetworkInterface nif = java.net.NetworkInterface.getByName(interfaceName);
            if (nif == null) {
                throw new BpfException("attach to " + target, "no such network interface in this process's "
                        + "network namespace (ip link show lists them)", 0, List.of());
            }
            return nif.getIndex();
        } catch (java.net.SocketException e) {
            throw new BpfException("attach to " + target, "cannot list network interfaces: " + e.getMessage(),
                    0, List.of(), e);
        }
    }

    private static void requireInterface(int ifindex, String target) {
        if (ifindex <= 0) {
            throw new IllegalArgumentException("attach to " + target + ": interface indexes start at 1");
        }
        if (!interfaceExists(ifindex)) {
            throw new BpfException("attach to " + target, "no network interface has this index in this "
                    + "process's network namespace (deleted? ip link show lists them)", 0, List.of());
        }
    }

    private static boolean interfaceExists(int ifindex) {
        try {
            return java.net.NetworkInterface.getByIndex(ifindex) != null;
        } catch (java.net.SocketException e) {
            return true; // cannot tell: let the kernel's answer stand
        }
    }
}
