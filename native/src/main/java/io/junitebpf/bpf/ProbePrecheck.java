package io.junitebpf.bpf;

import io.junitebpf.elf.ElfException;
import io.junitebpf.elf.ElfFile;
import io.junitebpf.elf.ElfHeader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a uprobe or USDT attach checks in the target's ELF before libbpf tries: the binary exists,
 * the function or probe is in it, and (for USDT in all processes) the kernel can attach there.
 * libbpf's own "not found" says less than ours, which lists what the binary does have.
 */
final class ProbePrecheck {

    private final String program;

    ProbePrecheck(String program) {
        this.program = program;
    }

    /**
     * For {@code usdt/BINARY:PROVIDER:NAME} and {@code u[ret]probe/BINARY:FUNCTION}
     * sections, finds the binary as libbpf would (PATH for a bare name) and checks
     * the probe exists, so a typo is reported with what the binary does have.
     */
    void section(String section, String target) {
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
        Optional<Path> binary = resolveBinary(parts[0]);
        if (binary.isEmpty()) {
            if (!parts[0].contains("/") && !parts[0].contains(".so")) {
                throw new BpfException("attach program '" + program + "' to " + target, "binary '" + parts[0]
                        + "' not found on PATH (" + ProcessEnvironment.path() + ")", 0, List.of());
            }
            return;
        }
        if (usdt) {
            usdt(binary.get(), parts[1], parts[2], true, target);
        } else {
            lookup(target, () -> ElfFile.read(binary.get()).fileOffset(parts[1]));
        }
    }

    /** The checks of {@link Program#attachUprobe}. */
    void uprobe(Uprobe probe) {
        requireFile(probe.binary().toString(), probe.toString());
        if (probe.function() != null && probe.binary().toString().contains("/")) {
            lookup(probe.toString(), () -> ElfFile.read(probe.binary()).fileOffset(probe.function()));
        }
    }

    /** The checks of {@link Program#attachUsdt}. */
    void usdt(Usdt usdt) {
        requireFile(usdt.binary().toString(), usdt.toString());
        if (usdt.binary().toString().contains("/")) {
            usdt(usdt.binary(), usdt.provider(), usdt.name(), usdt.pid() == -1, usdt.toString());
        }
    }

    /**
     * The USDT checks of an explicit and of a SEC()-declared attach, on one read of the ELF: the probe
     * exists, and (for all processes) the kernel can attach to it in this binary.
     */
    private void usdt(Path binary, String provider, String probe, boolean allProcesses, String target) {
        ElfFile elf = lookup(target, () -> {
            ElfFile file = ElfFile.read(binary);
            file.usdtProbe(provider, probe);
            return file;
        });
        if (allProcesses) {
            requireCookiesForPositionIndependent(binary, elf);
        }
    }

    /**
     * Without BPF cookies (kernels before 5.15) libbpf cannot tell USDT call
     * sites apart in a position-independent binary for all processes at once.
     */
    private static void requireCookiesForPositionIndependent(Path binary, ElfFile elf) {
        if (KernelFeatures.has(KernelFeature.BPF_COOKIE) || elf.header().type() != ElfHeader.Type.DYN) {
            return;
        }
        throw new FeatureUnavailableException(KernelFeature.BPF_COOKIE, "USDT in the position-independent "
                + binary + " for all processes needs BPF cookies, which Linux " + KernelVersion.running()
                + " lacks; attach per pid (Usdt.withPid) or build the target -no-pie",
                KernelFeatures.expected(KernelFeature.BPF_COOKIE));
    }

    private static Optional<Path> resolveBinary(String binary) {
        if (binary.contains("/")) {
            Path p = Path.of(binary);
            return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
        }
        if (binary.contains(".so")) {
            return Optional.empty(); // libbpf searches the library paths; leave it to libbpf
        }
        for (String dir : ProcessEnvironment.path().split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, binary);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Looks the probe up in the ELF, turning the reader's complaint into the attach's. */
    private <T> T lookup(String target, Supplier<T> lookup) {
        try {
            return lookup.get();
        } catch (ElfException e) {
            throw new BpfException("attach program '" + program + "' to " + target, e.getMessage(), 0, List.of(), e);
        }
    }

    private void requireFile(String path, String target) {
        Path p = Path.of(path);
        if (path.contains("/") && !Files.isRegularFile(p)) {
            throw new BpfException("attach program '" + program + "' to " + target,
                    Files.exists(p) ? "not a regular file" : "no such file", 0, List.of());
        }
    }
}
