package io.junitebpf.bpf;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Options for opening a BPF object (libbpf's {@code bpf_object_open_opts}).
 * Immutable; each {@code with} method returns a new instance.
 *
 * @param objectName     the object's name in libbpf and the kernel (default: from the file or resource name)
 * @param btfCustomPath  kernel BTF to use for CO-RE instead of /sys/kernel/btf/vmlinux, or null
 * @param kconfig        extra Kconfig values for {@code __kconfig} externs ("CONFIG_X=y\n..."), or null
 * @param kernelLogLevel the verifier log level for every program load (0 = only on failure, 1, 2), optionally
 *                       with {@link #LOG_STATS}: then {@link Program#verifierLog()} and
 *                       {@link Program#verifierStats()} hold each loaded program's log
 */
public record ObjectOptions(String objectName, Path btfCustomPath, String kconfig, int kernelLogLevel) {

    /** BPF_LOG_STATS: the verifier's statistics (instructions processed, states) for every load. */
    public static final int LOG_STATS = 4;

    /** No options: libbpf's defaults. */
    public static final ObjectOptions DEFAULTS = new ObjectOptions(null, null, null, 0);

    public ObjectOptions {
        if (objectName != null && objectName.isBlank()) {
            throw new IllegalArgumentException("object options: blank object name");
        }
        if ((kernelLogLevel & ~(LOG_STATS | 3)) != 0 || (kernelLogLevel & 3) == 3) {
            throw new IllegalArgumentException("object options: kernel log level " + kernelLogLevel
                    + " is out of range (0, 1 or 2, each optionally | LOG_STATS)");
        }
    }

    public ObjectOptions withObjectName(String name) {
        return new ObjectOptions(Objects.requireNonNull(name, "name"), btfCustomPath, kconfig, kernelLogLevel);
    }

    public ObjectOptions withBtfCustomPath(Path path) {
        return new ObjectOptions(objectName, Objects.requireNonNull(path, "path"), kconfig, kernelLogLevel);
    }

    public ObjectOptions withKconfig(String text) {
        return new ObjectOptions(objectName, btfCustomPath, Objects.requireNonNull(text, "text"), kernelLogLevel);
    }

    public ObjectOptions withKernelLogLevel(int level) {
        return new ObjectOptions(objectName, btfCustomPath, kconfig, level);
    }
}
