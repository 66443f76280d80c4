package io.junitebpf.bpf.internal;

import io.junitebpf.bpf.BpfException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.List;

/** errno capture for downcalls, and the translation of libbpf failures into exceptions. */
public final class Errors {

    /** The layout the linker fills with the thread's errno after a capturing call. */
    public static final StructLayout CALL_STATE_LAYOUT = java.lang.foreign.Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private Errors() {
    }

    /** A fresh errno slot, allocated in {@code arena}. */
    public static MemorySegment callState(Arena arena) {
        return arena.allocate(CALL_STATE_LAYOUT);
    }

    /** The errno a capturing call left in {@code state}. */
    public static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /** Throws when a libbpf int result is negative (libbpf 1.x returns {@code -errno}). */
    public static int check(int result, String operation, LogCapture log) {
        if (result < 0) {
            throw new BpfException(operation, "failed", -result, log.lines());
        }
        return result;
    }

    /** Throws when a libbpf pointer result is NULL, using the captured errno. */
    public static MemorySegment check(MemorySegment result, MemorySegment state, String operation, LogCapture log) {
        if (result.equals(MemorySegment.NULL)) {
            throw new BpfException(operation, "failed", errno(state), log.lines());
        }
        return result;
    }

    /** Wraps a Throwable escaping a downcall (MethodHandle.invoke declares Throwable). */
    public static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException e) {
            return e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    /** A failure with no errno. */
    public static BpfException failure(String operation, String detail, List<String> log) {
        return new BpfException(operation, detail, 0, log);
    }
}
