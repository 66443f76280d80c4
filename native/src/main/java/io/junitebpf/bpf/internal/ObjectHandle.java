package io.junitebpf.bpf.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The native side of one {@code struct bpf_object}: the pointer, the memory
 * libbpf borrows from us until load (the ELF bytes, the open options), and the
 * lock that serialises every call touching the object.
 *
 * <p>Use after close throws {@link IllegalStateException} instead of handing a
 * dangling pointer to libbpf.
 */
public final class ObjectHandle implements AutoCloseable {

    /** sizeof(struct bpf_object_open_opts) up to kernel_log_level: valid for libbpf 1.0 to 1.5. */
    private static final long OPEN_OPTS_SIZE = 80;

    private final LibbpfApi api;
    private final Arena arena;
    private final String displayName;
    private final MemorySegment object;
    private final Map<String, MemorySegment> programs = new LinkedHashMap<>();
    private final Map<String, MemorySegment> maps = new LinkedHashMap<>();
    private final Map<String, Object> derived = new HashMap<>();
    private final List<AutoCloseable> closeFirst = new ArrayList<>();
    private final int kernelLogLevel;
    private Map<String, List<String>> verifierLogs = Map.of();
    private boolean loaded;
    private boolean closed;

    private ObjectHandle(LibbpfApi api, Arena arena, String displayName, MemorySegment object, int kernelLogLevel) {
        this.api = api;
        this.kernelLogLevel = kernelLogLevel;
        this.arena = arena;
        this.displayName = displayName;
        this.object = object;
        for (MemorySegment p = api.nextProgram(object, MemorySegment.NULL); !p.equals(MemorySegment.NULL);
             p = api.nextProgram(object, p)) {
            programs.put(api.programName(p), p);
        }
        for (MemorySegment m = api.nextMap(object, MemorySegment.NULL); !m.equals(MemorySegment.NULL);
             m = api.nextMap(object, m)) {
            maps.put(api.mapName(m), m);
        }
    }

    /** Options for bpf_object__open_*: any may be null or zero. */
    public record OpenOptions(String objectName, String btfCustomPath, String kconfig, int kernelLogLevel) {
    }

    /** bpf_object__open_mem on a copy of {@code bytes} that lives as long as the object. */
    public static ObjectHandle openMemory(LibbpfApi api, byte[] bytes, String displayName, OpenOptions options) {
        return open(api, displayName, options, (arena) -> {
            MemorySegment buffer = arena.allocate(Math.max(1, bytes.length), 8);
            MemorySegment.copy(bytes, 0, buffer, ValueLayout.JAVA_BYTE, 0, bytes.length);
            try (LogCapture log = LogCapture.start()) {
                return api.objectOpenMem(buffer, bytes.length, openOpts(arena, options), displayName, log);
            }
        });
    }

    /** bpf_object__open_file. */
    public static ObjectHandle openFile(LibbpfApi api, String path, OpenOptions options) {
        return open(api, path, options, (arena) -> {
            try (LogCapture log = LogCapture.start()) {
                return api.objectOpenFile(arena.allocateFrom(path), openOpts(arena, options), path, log);
            }
        });
    }

    private static ObjectHandle open(LibbpfApi api, String displayName, OpenOptions options,
                                     Function<Arena, MemorySegment> opener) {
        Arena arena = Arena.ofShared();
        try {
            return new ObjectHandle(api, arena, displayName, opener.apply(arena), options.kernelLogLevel());
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private static MemorySegment openOpts(Arena arena, OpenOptions o) {
        MemorySegment opts = arena.allocate(OPEN_OPTS_SIZE, 8);
        opts.set(ValueLayout.JAVA_LONG, 0, OPEN_OPTS_SIZE);
        if (o.objectName() != null) {
            opts.set(ValueLayout.ADDRESS, 8, arena.allocateFrom(o.objectName()));
        }
        if (o.kconfig() != null) {
            opts.set(ValueLayout.ADDRESS, 40, arena.allocateFrom(o.kconfig()));
        }
        if (o.btfCustomPath() != null) {
            opts.set(ValueLayout.ADDRESS, 48, arena.allocateFrom(o.btfCustomPath()));
        }
        opts.set(ValueLayout.JAVA_INT, 72, o.kernelLogLevel());
        return opts;
    }

    public LibbpfApi api() {
        return api;
    }

    public String displayName() {
        return displayName;
    }

    public synchronized String objectName() {
        return api.objectName(pointer());
    }

    public synchronized List<String> programNames() {
        pointer();
        return List.copyOf(programs.keySet());
    }

    public synchronized List<String> mapNames() {
        pointer();
        return List.copyOf(maps.keySet());
    }

    /** The program pointer, or a BpfException listing the programs that exist. */
    public synchronized MemorySegment program(String name) {
        pointer();
        MemorySegment p = programs.get(name);
        if (p == null) {
            throw Errors.failure("find program '" + name + "' in " + displayName,
                    "no such program (programs: " + String.join(", ", programs.keySet()) + ")", List.of());
        }
        return p;
    }

    /** The map pointer, or a BpfException listing the maps that exist. */
    public synchronized MemorySegment map(String name) {
        pointer();
        MemorySegment m = maps.get(name);
        if (m == null) {
            throw Errors.failure("find map '" + name + "' in " + displayName,
                    "no such map (maps: " + String.join(", ", maps.keySet()) + ")", List.of());
        }
        return m;
    }

    /** bpf_object__load, with libbpf's log (including the verifier's) attached to any failure. */
    public synchronized void load() {
        MemorySegment obj = pointer();
        if (loaded) {
            throw new IllegalStateException("load " + displayName + ": already loaded");
        }
        // With a kernel log level libbpf prints each loaded program's verifier log, at DEBUG.
        try (LogCapture log = LogCapture.start(kernelLogLevel != 0)) {
            int rc = api.objectLoad(obj);
            loaded = true;
            if (rc < 0) {
                throw LoadFailures.of("load object " + displayName, -rc, log.lines());
            }
            verifierLogs = Map.copyOf(LoadFailures.programLogs(log.lines()));
        }
    }

    /**
     * The verifier's log of a loaded program; empty unless the object was opened with a kernel
     * log level (libbpf asks the kernel for no log otherwise).
     */
    public synchronized List<String> verifierLog(String program) {
        pointer();
        return verifierLogs.getOrDefault(program, List.of());
    }

    /** The kernel log level the object was opened with. */
    public int kernelLogLevel() {
        return kernelLogLevel;
    }

    public synchronized boolean loaded() {
        return loaded;
    }

    public synchronized boolean closed() {
        return closed;
    }

    /** The live object pointer; throws once the object is closed. */
    public synchronized MemorySegment pointer() {
        return pointerHeld();
    }

    /**
     * {@link #pointer()} for a caller that holds the object's lock already ({@code synchronized} on this
     * handle): a hot path (a test run) need not carry the code of a second, nested entry.
     */
    public MemorySegment pointerHeld() {
        if (closed) {
            throw new IllegalStateException(displayName + ": object is closed");
        }
        return object;
    }

    /** Runs {@code call} under the object's lock with a fresh confined arena for arguments. */
    public synchronized <T> T withArena(Function<Arena, T> call) {
        pointer();
        try (Arena scratch = Arena.ofConfined()) {
            return call.apply(scratch);
        }
    }

    /** Runs {@code call} under the object's lock, after checking it is open. */
    public synchronized <T> T locked(java.util.function.Supplier<T> call) {
        pointer();
        return call.get();
    }

    /**
     * Something computed once from the object (its BTF, its global-data layout)
     * and kept until close; {@code key} distinguishes the kinds.
     */
    @SuppressWarnings("unchecked")
    public synchronized <T> T derived(String key, Function<ObjectHandle, T> compute) {
        pointer();
        Object value = derived.get(key);
        if (value == null) {
            value = compute.apply(this);
            derived.put(key, value);
        }
        return (T) value;
    }

    /** Registers a resource that must be released before the object is (e.g. a mapping of one of its maps). */
    public synchronized void onClose(AutoCloseable resource) {
        pointer();
        closeFirst.add(resource);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = closeFirst.size() - 1; i >= 0; i--) {
            try {
                closeFirst.get(i).close();
            } catch (Exception e) {
                // Releasing the object matters more than one failed unmap; nothing else can be done here.
            }
        }
        closeFirst.clear();
        derived.clear();
        try {
            api.objectClose(object);
        } finally {
            arena.close();
        }
    }
}
