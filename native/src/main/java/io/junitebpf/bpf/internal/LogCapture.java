package io.junitebpf.bpf.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Routes libbpf's print callback into Java and attributes each line to the
 * operation that produced it.
 *
 * <p>libbpf prints synchronously on the thread that made the call, so a
 * capture is a thread-local scope: every line printed on this thread while a
 * capture is open lands in it (and in any enclosing capture). Lines printed
 * outside any capture go to the {@code io.junitebpf.libbpf} System.Logger.
 *
 * <p>The message arrives as a printf format and a {@code va_list}; we format it
 * with the C library's {@code vsnprintf}, passing the {@code va_list} through as
 * the pointer that it is at the ABI level on x86-64 and arm64.
 */
public final class LogCapture implements AutoCloseable {

    /** libbpf_print_level: LIBBPF_WARN, LIBBPF_INFO, LIBBPF_DEBUG. */
    public enum Level { WARN, INFO, DEBUG }

    private static final System.Logger LOGGER = System.getLogger("io.junitebpf.libbpf");
    private static final ThreadLocal<Deque<LogCapture>> ACTIVE = ThreadLocal.withInitial(ArrayDeque::new);
    private static final int LINE_MAX = 8192;
    private static volatile MethodHandle vsnprintf;
    // set from junit.ebpf.libbpf.debug when libbpf is opened (Libbpf), or by LibbpfLog.includeDebug
    private static volatile boolean debug;

    private final List<String> lines = new ArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private final boolean includeDebug;
    private boolean closed;

    private LogCapture(boolean includeDebug) {
        this.includeDebug = includeDebug;
    }

    /** Opens a capture on the current thread; close it in the same thread. */
    public static LogCapture start() {
        return start(false);
    }

    /**
     * Opens a capture that also takes libbpf's DEBUG lines, whatever {@link #debug} says: a load
     * with a kernel log level needs them, because libbpf prints a successful load's verifier log
     * at DEBUG.
     */
    public static LogCapture start(boolean includeDebug) {
        LogCapture capture = new LogCapture(includeDebug);
        ACTIVE.get().push(capture);
        return capture;
    }

    /** Whether libbpf's DEBUG lines are captured too (they are many: every relocation). */
    public static void debug(boolean enabled) {
        debug = enabled;
    }

    /** The complete lines captured so far. */
    public List<String> lines() {
        List<String> copy = new ArrayList<>(lines);
        if (!partial.isEmpty()) {
            copy.add(partial.toString());
        }
        return List.copyOf(copy);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            ACTIVE.get().remove(this);
        }
    }

    /** Installs the print callback into {@code library}; called once per loaded library. */
    static void install(NativeLibrary library) {
        vsnprintf = NativeLibrary.LINKER.downcallHandle(
                NativeLibrary.LINKER.defaultLookup().find("vsnprintf").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                        ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        try {
            MethodHandle target = MethodHandles.lookup().findStatic(LogCapture.class, "print",
                    MethodType.methodType(int.class, int.class, MemorySegment.class, MemorySegment.class));
            MemorySegment stub = NativeLibrary.LINKER.upcallStub(target,
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                            ValueLayout.ADDRESS),
                    Arena.global());
            MethodHandle setPrint = library.function("libbpf_set_print",
                    FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS), "0.0.1");
            MemorySegment previous = (MemorySegment) setPrint.invokeExact(stub);
            assert previous != null;
        } catch (Throwable t) {
            throw Errors.rethrow(t);
        }
    }

    /** The upcall. Must never throw: an exception escaping an upcall ends the JVM. */
    private static int print(int level, MemorySegment format, MemorySegment args) {
        try {
            Level lvl = level >= 0 && level < Level.values().length ? Level.values()[level] : Level.DEBUG;
            Deque<LogCapture> captures = ACTIVE.get();
            boolean wanted = lvl != Level.DEBUG || debug;
            if (!wanted && captures.stream().noneMatch(c -> c.includeDebug)) {
                return 0;
            }
            String text;
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment buffer = arena.allocate(LINE_MAX);
                int n = (int) vsnprintf.invokeExact(buffer, (long) LINE_MAX, format, args);
                text = n < 0 ? "" : buffer.getString(0);
            }
            if (captures.isEmpty()) {
                if (wanted) {
                    log(lvl, text);
                }
            } else {
                for (LogCapture capture : captures) {
                    if (wanted || capture.includeDebug) {
                        capture.append(text);
                    }
                }
            }
        } catch (Throwable t) {
            // Dropping one log line is better than taking the JVM down.
        }
        return 0;
    }

    private void append(String text) {
        partial.append(text);
        int newline;
        while ((newline = partial.indexOf("\n")) >= 0) {
            lines.add(partial.substring(0, newline));
            partial.delete(0, newline + 1);
        }
    }

    private static void log(Level level, String text) {
        String line = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        LOGGER.log(switch (level) {
            case WARN -> System.Logger.Level.WARNING;
            case INFO -> System.Logger.Level.INFO;
            case DEBUG -> System.Logger.Level.DEBUG;
        }, line);
    }
}
