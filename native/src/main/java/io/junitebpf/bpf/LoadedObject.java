package io.junitebpf.bpf;

import io.junitebpf.bpf.internal.GlobalData;
import io.junitebpf.bpf.internal.ObjectHandle;
import io.junitebpf.btf.Btf;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A BPF object whose maps and programs live in the kernel. Closing it detaches
 * every link made through its programs, closes its ring buffers, and releases
 * the object: nothing it created stays attached.
 */
public final class LoadedObject implements AutoCloseable {

    private final ObjectHandle handle;
    private final List<AutoCloseable> owned = new ArrayList<>();
    /**
     * One {@link Program} per name: a program keeps what its test runs reuse (its fd and type, a native
     * buffer, the last packet copied there), which a new object per lookup would set up again each time.
     */
    private final ConcurrentHashMap<String, Program> programs = new ConcurrentHashMap<>();

    LoadedObject(ObjectHandle handle) {
        this.handle = handle;
    }

    /** The object's name as libbpf knows it. */
    public String name() {
        return handle.objectName();
    }

    /** The loaded programs, in ELF order (including those not loaded because autoload was off). */
    public List<Program> programs() {
        return handle.programNames().stream().map(this::programNamed).toList();
    }

    /** A program by function name; the error lists the programs that exist. */
    public Program program(String name) {
        requireName(name, "program");
        handle.program(name);
        return programNamed(name);
    }

    private Program programNamed(String name) {
        return programs.computeIfAbsent(name, k -> new Program(this, handle, k));
    }

    /** A map by name; the error lists the maps that exist. */
    public BpfMap map(String name) {
        requireName(name, "map");
        handle.map(name);
        return new BpfMap(handle, name);
    }

    /** The names of all maps. */
    public List<String> mapNames() {
        return handle.mapNames();
    }

    /**
     * Opens a consumer of a {@code BPF_MAP_TYPE_RINGBUF} map that reads the
     * mapped ring directly ({@link RingBuffer.Mode#MAPPED}); it closes with this object.
     */
    public RingBuffer ringBuffer(String mapName) {
        return ringBuffer(mapName, RingBuffer.Mode.MAPPED);
    }

    /** Opens a consumer of a {@code BPF_MAP_TYPE_RINGBUF} map in the given mode; it closes with this object. */
    public RingBuffer ringBuffer(String mapName, RingBuffer.Mode mode) {
        return own(RingBuffer.open(this, handle, map(mapName), mode));
    }

    /**
     * Opens a consumer of a {@code BPF_MAP_TYPE_PERF_EVENT_ARRAY} map with
     * {@link PerfBuffer#DEFAULT_PAGE_COUNT} pages per CPU; it closes with this object.
     */
    public PerfBuffer perfBuffer(String mapName) {
        return perfBuffer(mapName, PerfBuffer.DEFAULT_PAGE_COUNT);
    }

    /**
     * Opens a consumer of a {@code BPF_MAP_TYPE_PERF_EVENT_ARRAY} map; it closes with this object.
     *
     * @param pageCount data pages per CPU, a power of 2
     */
    public PerfBuffer perfBuffer(String mapName, int pageCount) {
        return own(PerfBuffer.open(this, handle, map(mapName), pageCount));
    }

    /**
     * A global variable by name, read and written in the kernel's memory: what
     * the programs see. .rodata is frozen after load, so its variables are
     * read-only here; the error for an unknown name lists the variables.
     */
    public GlobalVariable global(String name) {
        requireName(name, "global variable");
        GlobalData data = GlobalData.of(handle);
        String op = "find global '" + name + "' in " + handle.displayName();
        return new GlobalVariable(data, data.variable(name, op), false, handle.displayName());
    }

    /** Every global variable of .bss, .data, .rodata (and custom .data.*, .rodata.*, .kconfig), in BTF order. */
    public List<GlobalVariable> globals() {
        GlobalData data = GlobalData.of(handle);
        return data.variables().stream().map(v -> new GlobalVariable(data, v, false, handle.displayName())).toList();
    }

    /**
     * The object's BTF as libbpf holds it (data-section sizes and variable
     * offsets filled in), parsed by {@link Btf}.
     *
     * @throws BpfException when the object was compiled without BTF ({@code clang -g})
     */
    public Btf btf() {
        return GlobalData.btf(handle).orElseThrow(() -> new BpfException("read BTF of " + handle.displayName(),
                "the object has no BTF (compile the BPF C with clang -g)", 0, List.of()));
    }

    /** Whether {@link #close()} has run. */
    public boolean closed() {
        return handle.closed();
    }

    synchronized <T extends AutoCloseable> T own(T resource) {
        owned.add(resource);
        return resource;
    }

    synchronized void disown(AutoCloseable resource) {
        owned.remove(resource);
    }

    /** Detaches every link, closes every ring buffer, then the object. Idempotent. */
    @Override
    public void close() {
        List<AutoCloseable> toClose;
        synchronized (this) {
            toClose = new ArrayList<>(owned);
            owned.clear();
        }
        RuntimeException first = null;
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception e) {
                if (first == null) {
                    first = e instanceof RuntimeException r ? r : new IllegalStateException(e);
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        handle.close();
        if (first != null) {
            throw first;
        }
    }

    private static void requireName(String name, String what) {
        Objects.requireNonNull(name, what + " name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("find " + what + ": empty name");
        }
    }

    @Override
    public String toString() {
        return "LoadedObject[" + handle.displayName() + "]";
    }
}
