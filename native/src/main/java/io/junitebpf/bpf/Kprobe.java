package io.junitebpf.bpf;

import java.util.Objects;

/**
 * Where to attach a kprobe or kretprobe: a kernel function, or a syscall by
 * its name, whose architecture-specific entry symbol ({@code __x64_sys_execve})
 * libbpf finds (libbpf 1.0). Immutable, like {@link Uprobe}:
 * {@code Kprobe.function("do_sys_openat2").returning()}.
 *
 * @param function the kernel function, or the syscall name when {@code syscall}
 * @param syscall  whether {@code function} names a syscall ({@code bpf_program__attach_ksyscall})
 * @param retprobe true for a kretprobe (fires on return)
 */
public record Kprobe(String function, boolean syscall, boolean retprobe) {

    public Kprobe {
        Objects.requireNonNull(function, syscall ? "syscall" : "function");
        if (function.isBlank()) {
            throw new IllegalArgumentException("attach: empty " + (syscall ? "syscall name" : "kernel function"));
        }
    }

    /** The entry of kernel function {@code function}. */
    public static Kprobe function(String function) {
        return new Kprobe(function, false, false);
    }

    /** The entry of syscall {@code name} ("execve"), found by libbpf for this architecture. */
    public static Kprobe syscall(String name) {
        return new Kprobe(name, true, false);
    }

    /** The same place, fired on return (a kretprobe). */
    public Kprobe returning() {
        return new Kprobe(function, syscall, true);
    }

    @Override
    public String toString() {
        return (syscall ? (retprobe ? "kretsyscall " : "ksyscall ") : (retprobe ? "kretprobe " : "kprobe "))
                + function;
    }
}
