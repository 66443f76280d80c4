package io.junitebpf.maven;

import java.util.Locale;

/**
 * The build machine's architecture as BPF C sees it: the {@code __TARGET_ARCH_*} define that libbpf's
 * {@code bpf_tracing.h} needs to read probe arguments from {@code pt_regs}, and the multiarch
 * directory that holds {@code asm/*.h} on Debian and Ubuntu.
 *
 * @param define    e.g. {@code __TARGET_ARCH_x86}
 * @param multiarch e.g. {@code x86_64-linux-gnu}
 */
public record TargetArch(String define, String multiarch) {

    /** The architecture named by {@code os.arch} as the JVM reports it ({@code amd64}, {@code aarch64}). */
    public static TargetArch of(String osArch) {
        return switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> new TargetArch("__TARGET_ARCH_x86", "x86_64-linux-gnu");
            case "aarch64", "arm64" -> new TargetArch("__TARGET_ARCH_arm64", "aarch64-linux-gnu");
            default -> throw new BpfBuildException("compile-bpf: architecture '" + osArch + "' is not supported"
                    + " (x86_64 and aarch64 are; set <targetArch> to x86 or arm64 to cross-compile)");
        };
    }

    /** The architecture named the way the kernel and {@code __TARGET_ARCH_} do: {@code x86} or {@code arm64}. */
    public static TargetArch named(String kernelArch) {
        return switch (kernelArch) {
            case "x86" -> of("x86_64");
            case "arm64" -> of("aarch64");
            default -> throw new BpfBuildException("compile-bpf: targetArch '" + kernelArch + "' is not supported"
                    + " (use x86 or arm64)");
        };
    }

    /** This JVM's architecture. */
    public static TargetArch host() {
        return of(System.getProperty("os.arch"));
    }
}
