package io.junitebpf.bpf;

import io.junitebpf.bpf.internal.NativeEnvironment;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * The process's native environment: the PATH libbpf sees, and how the kernel
 * schedules a thread. libbpf resolves a binary named without a
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

    /** The nice value {@link #runCurrentThreadInBackground} gives a thread. */
    public static final int BACKGROUND_NICE = 10;

    /**
     * Marks the calling thread as background work: nice {@value #BACKGROUND_NICE} for this thread only
     * (Linux keeps the nice value per thread), so that when cores are short the kernel runs the test's own
     * threads first. For threads that only carry things along, such as the pumps copying a target's output:
     * a chatty target writes its lines just when its probes fire, and on a machine with few cores a pump
     * woken then delayed the thread waiting for the probe's event by up to a millisecond
     * (scripts/bench-waits). Needs no privilege.
     *
     * <p>Only where this module may make native calls ({@code --enable-native-access}): elsewhere it
     * does nothing, rather than have the JVM print its warning about restricted methods to a process
     * that only starts targets, or refuse the call (as JDKs to come will).
     *
     * @return whether the kernel took it (it refuses nothing a thread may do to itself, but a seccomp
     *         profile might); false without native access
     */
    public static boolean runCurrentThreadInBackground() {
        if (!ProcessEnvironment.class.getModule().isNativeAccessEnabled()) {
            return false;
        }
        try {
            return io.junitebpf.bpf.internal.Syscalls.setThreadNice(BACKGROUND_NICE) == 0;
        } catch (RuntimeException | LinkageError refused) {
            return false; // a C library without gettid, say: the thread runs on at its priority
        }
    }
}
