package io.junitebpf.bpf;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Probes the running kernel's features, each once per process, by what the
 * kernel exposes (PMUs, sysfs, tracefs) or by libbpf's feature probes — never
 * by version number alone. The version and Kconfig only decide whether a
 * missing feature was {@link FeatureUnavailableException#expected() expected}.
 */
public final class KernelFeatures {

    private static final int BPF_FUNC_GET_ATTACH_COOKIE = 174;
    private static final Map<KernelFeature, Optional<String>> CACHE = new EnumMap<>(KernelFeature.class);

    private KernelFeatures() {
    }

    /** Whether the running kernel has {@code feature}. */
    public static boolean has(KernelFeature feature) {
        return absence(feature).isEmpty();
    }

    /** Throws when the running kernel lacks {@code feature}, saying why and whether it should have it. */
    public static void require(KernelFeature feature) {
        Optional<String> missing = absence(feature);
        if (missing.isPresent()) {
            throw new FeatureUnavailableException(feature, missing.get() + " on Linux " + KernelVersion.running(),
                    expected(feature));
        }
    }

    /** Whether the kernel's version and config say it should have {@code feature}. */
    public static boolean expected(KernelFeature feature) {
        if (KernelVersion.running().compareTo(KernelVersion.parse(feature.minimumKernel())) < 0) {
            return false;
        }
        if (feature.configOption() == null) {
            return true;
        }
        return config(feature.configOption()).map(v -> v.equals("y") || v.equals("m")).orElse(false);
    }

    private static synchronized Optional<String> absence(KernelFeature feature) {
        return CACHE.computeIfAbsent(feature, KernelFeatures::probe);
    }

    private static Optional<String> probe(KernelFeature feature) {
        return switch (feature) {
            case KPROBES -> exists("/sys/bus/event_source/devices/kprobe") || exists("/sys/kernel/tracing/kprobe_events")
                    ? Optional.empty() : Optional.of("no kprobe PMU and no kprobe_events (kernel built without kprobes)");
            case UPROBES -> exists("/sys/bus/event_source/devices/uprobe") || exists("/sys/kernel/tracing/uprobe_events")
                    ? Optional.empty() : Optional.of("no uprobe PMU and no uprobe_events");
            case BTF -> exists("/sys/kernel/btf/vmlinux") ? Optional.empty()
                    : Optional.of("no /sys/kernel/btf/vmlinux");
            case TRACEFS -> exists("/sys/kernel/tracing/events") || exists("/sys/kernel/debug/tracing/events")
                    ? Optional.empty() : Optional.of("tracefs is not mounted (mount -t tracefs nodev /sys/kernel/tracing)");
            case SYSCALL_TRACEPOINTS -> exists("/sys/kernel/tracing/events/syscalls/sys_enter_execve")
                    || exists("/sys/kernel/debug/tracing/events/syscalls/sys_enter_execve") ? Optional.empty()
                    : Optional.of(exists("/sys/kernel/tracing/events") ? "no syscalls/* tracepoints in tracefs"
                    : "tracefs is not mounted (mount -t tracefs nodev /sys/kernel/tracing)");
            case RINGBUF -> libbpfProbe(() -> Libbpf.system().api().probeMapType(MapType.RINGBUF.value()),
                    "BPF_MAP_TYPE_RINGBUF");
            case BPF_COOKIE -> libbpfProbe(() -> Libbpf.system().api().probeHelper(ProgramType.KPROBE.value(),
                    BPF_FUNC_GET_ATTACH_COOKIE), "the bpf_get_attach_cookie helper");
            case PROG_TEST_RUN -> testRunCommand();
        };
    }

    /**
     * BPF_PROG_TEST_RUN on no program: a kernel that has the command answers EBADF,
     * one that does not know it EINVAL.
     */
    private static Optional<String> testRunCommand() {
        int errno = io.junitebpf.bpf.internal.TestRunCall.probe(Libbpf.system().api());
        return switch (Errno.of(errno)) {
            case EBADF -> Optional.empty();
            case EINVAL -> Optional.of("the kernel does not know the BPF_PROG_TEST_RUN command");
            default -> Optional.of("probing BPF_PROG_TEST_RUN failed [" + Errno.of(errno)
                    + "] (missing privileges?)");
        };
    }

    private static Optional<String> libbpfProbe(java.util.function.IntSupplier probe, String what) {
        int rc = probe.getAsInt();
        if (rc == 1) {
            return Optional.empty();
        }
        return Optional.of(rc == 0 ? "the kernel does not support " + what
                : "probing " + what + " failed [" + Errno.of(rc) + "] (missing privileges?)");
    }

    private static boolean exists(String path) {
        return Files.exists(Path.of(path));
    }

    /** A Kconfig option's value from /proc/config.gz or /boot/config-RELEASE, if readable. */
    public static Optional<String> config(String option) {
        String release = KernelVersion.release();
        for (Path file : new Path[] {Path.of("/proc/config.gz"), Path.of("/boot/config-" + release)}) {
            if (!Files.isReadable(file)) {
                continue;
            }
            try (InputStream raw = Files.newInputStream(file);
                 InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
                 BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.startsWith(option + "=")) {
                        return Optional.of(line.substring(option.length() + 1));
                    }
                    if (line.equals("# " + option + " is not set")) {
                        return Optional.of("n");
                    }
                }
                return Optional.of("n");
            } catch (IOException e) {
                // try the next source
            }
        }
        return Optional.empty();
    }
}
