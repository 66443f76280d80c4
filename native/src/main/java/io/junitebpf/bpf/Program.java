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
        return link(attacher.auto("its SEC(\"" + section() + "\")"));
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
            precheck(usdt.toString(), () -> ElfFile.read(usdt.binary()).usdtProbe(usdt.provider(), usdt.name()));
        }
        return link(attacher.usdt(usdt.binary().toString(), usdt.provider(), usdt.name(), usdt.pid(), usdt.cookie(),
                usdt.toString()));
    }

    /** Attaches to a tracepoint, e.g. ("syscalls", "sys_enter_execve") ({@code bpf_program__attach_tracepoint}). */
    public Link attachTracepoint(String category, String event) {
        requireName(category, "tracepoint category");
        requireName(event, "tracepoint name");
        return link(attacher.tracepoint(category, event, "tracepoint " + category + ":" + event));
    }

    /** Attaches to a raw tracepoint, e.g. "sched_switch". */
    public Link attachRawTracepoint(String event) {
        requireName(event, "raw tracepoint name");
        return link(attacher.rawTracepoint(event, "raw tracepoint " + event));
    }

    /** Attaches a kprobe or kretprobe to a kernel function (needs CONFIG_KPROBES). */
    public Link attachKprobe(String function, boolean retprobe) {
        requireName(function, "kernel function");
        return link(attacher.kprobe(function, retprobe, (retprobe ? "kretprobe " : "kprobe ") + function));
    }

    /**
     * Attaches a kprobe to a syscall by its name ("execve"), letting libbpf find
     * the architecture's entry symbol (needs CONFIG_KPROBES, libbpf 1.0).
     */
    public Link attachKsyscall(String syscall, boolean retprobe) {
        requireName(syscall, "syscall name");
        return link(attacher.ksyscall(syscall, retprobe, 0, (retprobe ? "kretsyscall " : "ksyscall ") + syscall));
    }

    private Link link(LinkHandle link) {
        return owner.own(new Link(link, owner));
    }

    /**
     * Looks the probe up in the ELF first: libbpf's own "not found" says less
     * than ours, which lists what the binary does have.
     */
    private void precheck(String target, Runnable lookup) {
        try {
            lookup.run();
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
}
