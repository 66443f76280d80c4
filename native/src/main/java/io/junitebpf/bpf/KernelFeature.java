package io.junitebpf.bpf;

/**
 * A kernel capability that BPF tests depend on, with the first kernel that has
 * it and the Kconfig option that can compile it out.
 */
public enum KernelFeature {
    /** kprobes and kretprobes (CONFIG_KPROBES): probe_execve, ksyscall. */
    KPROBES("4.1", "CONFIG_KPROBES"),
    /** uprobes and uretprobes, also what USDT attaches through (CONFIG_UPROBE_EVENTS). */
    UPROBES("4.1", "CONFIG_UPROBE_EVENTS"),
    /** The kernel's own BTF at /sys/kernel/btf/vmlinux, needed for CO-RE (CONFIG_DEBUG_INFO_BTF). */
    BTF("5.2", "CONFIG_DEBUG_INFO_BTF"),
    /** BPF_MAP_TYPE_RINGBUF. */
    RINGBUF("5.8", null),
    /** bpf_get_attach_cookie: needed for USDT on PIE binaries for all processes. */
    BPF_COOKIE("5.15", null),
    /**
     * tracefs mounted (at /sys/kernel/tracing, or debugfs' tracing): what tracepoint attach reads the event ids from.
     * A mount, not only a kernel option: the library reports it missing with the command, and never mounts it.
     */
    TRACEFS("4.1", "CONFIG_TRACING"),
    /** syscalls/sys_enter_* tracepoints (CONFIG_FTRACE_SYSCALLS). */
    SYSCALL_TRACEPOINTS("4.7", "CONFIG_FTRACE_SYSCALLS"),
    /** BPF_PROG_TEST_RUN: running a program on given input; which program types it runs grew later
     * ({@link ProgramType#testRunSince()}). */
    PROG_TEST_RUN("4.12", null);

    private final String minimumKernel;
    private final String configOption;

    KernelFeature(String minimumKernel, String configOption) {
        this.minimumKernel = minimumKernel;
        this.configOption = configOption;
    }

    /** The first kernel version that has the feature, e.g. "5.8". */
    public String minimumKernel() {
        return minimumKernel;
    }

    /** The Kconfig option that can leave it out, or null when none can. */
    public String configOption() {
        return configOption;
    }
}
