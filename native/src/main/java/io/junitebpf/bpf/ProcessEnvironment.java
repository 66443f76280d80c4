package io.junitebpf.bpf;

import io.junitebpf.bpf.internal.NativeEnvironment;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * The environment libbpf sees. libbpf resolves a binary named without a
 * directory in {@code SEC("uprobe/umark:func")} or {@code SEC("usdt/umark:p:n")}
 * through the C library's PATH; putting a directory there lets such sections
 * find a binary that was never installed in /usr/bin.
 */
public final class ProcessEnvironment {

    private ProcessEnvironment() {
    }

    /**
     * Puts {@code directory} first on the native PATH, unless it is already on it.
     * Affects this process's libc environment only (not {@link System#getenv()}).
     */
    public static synchronized void prependToPath(Path directory) {
        Objects.requireNonNull(directory, "directory");
        String dir = directory.toAbsolutePath().toString();
        if (dir.contains(":")) {
            throw new IllegalArgumentException("PATH entry cannot contain ':': " + dir);
        }
        String path = NativeEnvironment.get("PATH");
        if (path != null && Arrays.asList(path.split(":")).contains(dir)) {
            return;
        }
        NativeEnvironment.set("PATH", path == null || path.isEmpty() ? dir : dir + ":" + path);
    }

    /** The native PATH as libbpf sees it. */
    public static String path() {
        String path = NativeEnvironment.get("PATH");
        return path == null ? "" : path;
    }
}
