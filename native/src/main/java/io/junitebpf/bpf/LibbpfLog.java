package io.junitebpf.bpf;

import io.junitebpf.bpf.internal.LogCapture;

import java.util.List;

/**
 * libbpf's log, attributed to what the current thread does. Every line libbpf
 * prints on this thread while a capture is open is kept in it (and in any
 * enclosing capture); lines printed outside any capture go to the
 * {@code io.junitebpf.libbpf} System.Logger. Failed calls already carry their
 * own lines in {@link BpfException#log()}; a capture collects a whole test's.
 */
public final class LibbpfLog implements AutoCloseable {

    private final LogCapture capture;

    private LibbpfLog(LogCapture capture) {
        this.capture = capture;
    }

    /** Starts capturing on the current thread; close it on the same thread. */
    public static LibbpfLog capture() {
        return new LibbpfLog(LogCapture.start());
    }

    /** Also capture libbpf's DEBUG lines (very many: every relocation), process-wide. */
    public static void includeDebug(boolean enabled) {
        LogCapture.debug(enabled);
    }

    /** The lines captured so far. */
    public List<String> lines() {
        return capture.lines();
    }

    /** Stops capturing. Idempotent. */
    @Override
    public void close() {
        capture.close();
    }
}
