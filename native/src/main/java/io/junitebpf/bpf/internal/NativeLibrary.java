package io.junitebpf.bpf.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One loaded libbpf shared object and the downcall handles into it.
 *
 * <p>Handles are made on first use, so a symbol that the loaded libbpf lacks
 * fails only the call that needs it, with a message naming the symbol, the
 * loaded version and the version that introduced it.
 */
public final class NativeLibrary {

    static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private final String location;
    private final SymbolLookup lookup;
    private final ConcurrentHashMap<String, MethodHandle> handles = new ConcurrentHashMap<>();
    private volatile String version = "unknown";

    private NativeLibrary(String location, SymbolLookup lookup) {
        this.location = location;
        this.lookup = lookup;
    }

    /**
     * Opens a libbpf shared object: an absolute path, or a soname such as
     * {@code libbpf.so.1} resolved by the dynamic linker.
     *
     * @throws IllegalArgumentException when it cannot be opened, with the reason
     */
    public static NativeLibrary open(String pathOrName) {
        if (pathOrName.contains("/") && !Files.isRegularFile(Path.of(pathOrName))) {
            throw new IllegalArgumentException("no such file: " + pathOrName);
        }
        try {
            SymbolLookup lookup = SymbolLookup.libraryLookup(pathOrName, Arena.global());
            return new NativeLibrary(pathOrName, lookup);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot open " + pathOrName + " (" + e.getMessage() + ")", e);
        }
    }

    /** What the library was opened from. */
    public String location() {
        return location;
    }

    void version(String version) {
        this.version = version;
    }

    /** Whether the library exports {@code symbol}. */
    public boolean has(String symbol) {
        return lookup.find(symbol).isPresent();
    }

    /** The address of an exported symbol, if any. */
    public Optional<MemorySegment> find(String symbol) {
        return lookup.find(symbol);
    }

    /** A handle for a function that reports failure only through its return value. */
    public MethodHandle function(String symbol, FunctionDescriptor descriptor, String since) {
        return handles.computeIfAbsent(symbol, s -> LINKER.downcallHandle(require(s, since), descriptor));
    }

    /**
     * A handle for a function that sets errno on failure (libbpf's pointer
     * returners). The handle takes a leading segment of
     * {@link Errors#CALL_STATE_LAYOUT} to receive errno.
     */
    public MethodHandle functionWithErrno(String symbol, FunctionDescriptor descriptor, String since) {
        return handles.computeIfAbsent(symbol + "#errno",
                s -> LINKER.downcallHandle(require(symbol, since), descriptor, CAPTURE_ERRNO));
    }

    /**
     * The address of {@code symbol}, for a downcall handle that takes the address as its first
     * argument: such a handle can be a constant the JIT inlines, whichever libbpf is loaded.
     */
    public MemorySegment address(String symbol, String since) {
        return require(symbol, since);
    }

    /**
     * Calls {@code symbol} with boxed arguments (invokeWithArguments): for calls off any hot path,
     * where one generic helper beats a typed handle per symbol.
     */
    public Object invoke(String symbol, FunctionDescriptor descriptor, String since, Object... args) {
        try {
            return function(symbol, descriptor, since).invokeWithArguments(args);
        } catch (Throwable t) {
            throw Errors.rethrow(t);
        }
    }

    private MemorySegment require(String symbol, String since) {
        return lookup.find(symbol).orElseThrow(() -> new UnsupportedOperationException(
                symbol + " is not in " + location + " (libbpf " + version + "); it needs libbpf " + since
                        + " or newer (point junit.ebpf.libbpf.path at a newer libbpf.so)"));
    }
}
