package io.junitebpf.demo;

import io.junitebpf.bpf.KernelFeature;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The seed's four tools, in the order the demo runs them, with the kernel
 * features each needs (probed, so a tool the kernel cannot run says why).
 */
enum Tool {
    TRACE_EXECVE("trace_execve", "bpf/trace_execve.bpf.o", KernelFeature.SYSCALL_TRACEPOINTS),
    PROBE_EXECVE("probe_execve", "bpf/probe_execve.bpf.o", KernelFeature.KPROBES),
    UPROBE_TEST("uprobe_test", "bpf/uprobe.bpf.o", KernelFeature.UPROBES),
    USDT_TEST("usdt_test", "bpf/usdt.bpf.o", KernelFeature.UPROBES);

    private final String command;
    private final String object;
    private final List<KernelFeature> features;

    Tool(String command, String object, KernelFeature... features) {
        this.command = command;
        this.object = object;
        this.features = List.of(features);
    }

    /** The name on the command line and in messages, as the article calls it. */
    String command() {
        return command;
    }

    /** The classpath resource of its BPF object. */
    String object() {
        return object;
    }

    /** What the kernel must have, besides BPF ring buffers, which every tool needs. */
    List<KernelFeature> features() {
        return features;
    }

    static Optional<Tool> named(String command) {
        return Arrays.stream(values()).filter(t -> t.command.equals(command)).findFirst();
    }

    static List<String> commands() {
        return Arrays.stream(values()).map(Tool::command).toList();
    }
}
