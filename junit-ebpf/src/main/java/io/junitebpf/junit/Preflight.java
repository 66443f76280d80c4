package io.junitebpf.junit;

import io.junitebpf.bpf.Libbpf;
import io.junitebpf.bpf.LibbpfUnavailableException;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the environment lacks for any eBPF test, checked once per run: libbpf,
 * the privileges to load BPF, and kernel BTF. It changes nothing on the machine: a missing tracefs mount is
 * reported by the tracepoint attach that needs it, with the command that mounts it (the scripts mount it).
 */
record Preflight(List<String> problems) {

    private static final int CAP_SYS_ADMIN = 21;
    private static final int CAP_PERFMON = 38;
    private static final int CAP_BPF = 39;

    static Preflight of(ExtensionContext context) {
        boolean simulate = EbpfConfig.of(context).bool(EbpfConfig.SIMULATE_UNPRIVILEGED_PROPERTY_NAME, false);
        ExtensionContext.Store store = context.getRoot().getStore(TestScope.NAMESPACE);
        return store.getOrComputeIfAbsent(Preflight.class.getName() + simulate, k -> run(simulate), Preflight.class);
    }

    private static Preflight run(boolean simulateUnprivileged) {
        List<String> problems = new ArrayList<>();
        try {
            Libbpf.system();
        } catch (LibbpfUnavailableException e) {
            problems.add(e.getMessage());
        }
        long caps = simulateUnprivileged ? 0 : effectiveCapabilities();
        boolean privileged = has(caps, CAP_SYS_ADMIN) || (has(caps, CAP_BPF) && has(caps, CAP_PERFMON));
        if (!privileged) {
            problems.add("no privileges to load BPF (need root, or CAP_BPF + CAP_PERFMON; "
                    + (simulateUnprivileged ? "simulated by junit.ebpf.simulate.unprivileged" : "this JVM has none")
                    + ")");
        }
        if (!Files.exists(Path.of("/sys/kernel/btf/vmlinux"))) {
            problems.add("no kernel BTF at /sys/kernel/btf/vmlinux (CO-RE needs CONFIG_DEBUG_INFO_BTF)");
        }
        return new Preflight(List.copyOf(problems));
    }

    private static boolean has(long caps, int cap) {
        return (caps & (1L << cap)) != 0;
    }

    private static long effectiveCapabilities() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    return Long.parseUnsignedLong(line.substring(7).strip(), 16);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // unknown: report as unprivileged
        }
        return 0;
    }
}
