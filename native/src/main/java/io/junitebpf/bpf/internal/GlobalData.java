package io.junitebpf.bpf.internal;

import io.junitebpf.bpf.BpfException;
import io.junitebpf.btf.Btf;
import io.junitebpf.btf.BtfKind;
import io.junitebpf.btf.BtfType;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The global variables of one object (.bss, .data, .rodata, .data.*, .rodata.*,
 * .kconfig): where each lives, found through the DATASECs of libbpf's copy of
 * the object's BTF, and how to read and write it.
 *
 * <p>Before load, values go to libbpf's image of each internal map, which load
 * copies into the kernel. After load they go to the kernel's map through our
 * own shared mapping ({@link MappedRegion}); .rodata and .kconfig are frozen
 * then, and writes are refused before memory is touched (the mapping is
 * read-only and a write would fault).
 */
public final class GlobalData {

    /** One variable: its section, where it is in it, and its declared C type. */
    public record Variable(String name, String section, long offset, int size, String typeName) {

        /** Whether the section is frozen after load (programs and user space can only read it). */
        public boolean readOnlyAfterLoad() {
            return section.startsWith(".rodata") || section.equals(".kconfig");
        }
    }

    private static final String BTF_KEY = "btf";
    private static final String GLOBALS_KEY = "globals";

    private final ObjectHandle handle;
    private final ObjectDataApi api;
    private final MapApi elements;
    private final Map<String, Variable> variables = new LinkedHashMap<>();
    private final Map<String, MemorySegment> maps = new HashMap<>();
    private final Map<String, MappedRegion> regions = new HashMap<>();

    private GlobalData(ObjectHandle handle, ObjectDataApi api, Btf btf) {
        this.handle = handle;
        this.api = api;
        this.elements = new MapApi(handle.api());
        for (BtfType type : btf.types()) {
            if (type.kind() != BtfKind.DATASEC) {
                continue;
            }
            String section = type.name();
            MemorySegment map = api.findMap(handle.pointer(), section);
            if (map.equals(MemorySegment.NULL)) {
                continue; // .maps, license, .ksyms: no map behind them
            }
            maps.put(section, map);
            for (int[] var : api.sectionVariables(handle.pointer(), section)) {
                Optional<BtfType> declared = btf.type(var[0]);
                String name = declared.map(BtfType::name).orElse("");
                String typeName = declared.flatMap(t -> t instanceof BtfType.Other o ? o.target() : Optional.empty())
                        .map(BtfType::cTypeName).orElse("?");
                if (!name.isEmpty()) {
                    variables.putIfAbsent(name, new Variable(name, section, Integer.toUnsignedLong(var[1]), var[2],
                            typeName));
                }
            }
        }
    }

    /** The object's globals, worked out once per object. */
    public static GlobalData of(ObjectHandle handle) {
        return handle.derived(GLOBALS_KEY, h -> new GlobalData(h, new ObjectDataApi(h.api()),
                btf(h).orElseThrow(() -> new BpfException("find global variables of " + h.displayName(),
                        "the object has no BTF (compile the BPF C with clang -g)", 0, List.of()))));
    }

    /** libbpf's copy of the object's BTF (with section sizes and offsets fixed up), parsed once. */
    public static Optional<Btf> btf(ObjectHandle handle) {
        return handle.derived(BTF_KEY, h -> {
            byte[] raw = new ObjectDataApi(h.api()).rawBtf(h.pointer());
            return Optional.ofNullable(raw).map(bytes -> Btf.parse(h.displayName(), bytes));
        });
    }

    /** Every variable, in BTF order. */
    public List<Variable> variables() {
        return List.copyOf(variables.values());
    }

    /** A variable by name; the error lists the ones that exist. */
    public Variable variable(String name, String operation) {
        Variable v = variables.get(name);
        if (v == null) {
            throw new BpfException(operation, "no such global variable (globals: "
                    + (variables.isEmpty() ? "none" : String.join(", ", variables.keySet()))
                    + "; only variables the BPF C declares at file scope and uses are kept)", 0, List.of());
        }
        return v;
    }

    /** The variable's current bytes: the initial value before load, the kernel's after. */
    public byte[] read(Variable v, boolean beforeLoad, String operation) {
        return handle.withArena(arena -> {
            MemorySegment values = values(v, beforeLoad, false, operation, arena);
            return values.asSlice(v.offset(), v.size()).toArray(ValueLayout.JAVA_BYTE);
        });
    }

    /** Writes the variable's bytes ({@code bytes.length == v.size()}, checked by the caller). */
    public void write(Variable v, byte[] bytes, boolean beforeLoad, String operation) {
        handle.withArena(arena -> {
            MemorySegment values = values(v, beforeLoad, true, operation, arena);
            MemorySegment.copy(bytes, 0, values, ValueLayout.JAVA_BYTE, v.offset(), bytes.length);
            if (!handle.loaded() || regions.containsKey(v.section())) {
                return null;
            }
            // No mapping (kernel without BPF_F_MMAPABLE): write the whole section back.
            writeSection(v, values, operation, arena);
            return null;
        });
    }

    private MemorySegment values(Variable v, boolean beforeLoad, boolean writing, String operation, Arena arena) {
        MemorySegment map = maps.get(v.section());
        if (beforeLoad != !handle.loaded()) {
            throw new IllegalStateException(operation + ": " + (beforeLoad
                    ? "the object has been loaded (use LoadedObject.global(\"" + v.name() + "\") now)"
                    : "the object is not loaded yet"));
        }
        if (!handle.loaded()) {
            if (writing && v.section().equals(".kconfig")) {
                throw new IllegalStateException(operation + ": .kconfig variables are filled in by libbpf from the"
                        + " running kernel's configuration at load (they cannot be set)");
            }
            MemorySegment image = api.initialValue(map);
            if (image.equals(MemorySegment.NULL) || image.byteSize() < v.offset() + v.size()) {
                throw new BpfException(operation, "libbpf has no initial image of " + v.section(), 0, List.of());
            }
            return image;
        }
        if (writing && v.readOnlyAfterLoad()) {
            throw new IllegalStateException(operation + ": " + v.section() + " is frozen once the object is loaded"
                    + " (set '" + v.name() + "' on the BpfObject before load(), or declare it without const)");
        }
        MappedRegion region = region(v, map, operation);
        return region != null ? region.values() : readSection(v, map, operation, arena);
    }

    private MappedRegion region(Variable v, MemorySegment map, String operation) {
        MappedRegion region = regions.get(v.section());
        if (region == null && (api.mapFlags(map) & ObjectDataApi.F_MMAPABLE) != 0) {
            int fd = handle.api().mapFd(map);
            region = MappedRegion.map(fd, handle.api().mapValueSize(map), !v.readOnlyAfterLoad(), operation);
            handle.onClose(region);
            regions.put(v.section(), region);
        }
        return region;
    }

    private MemorySegment readSection(Variable v, MemorySegment map, String operation, Arena arena) {
        MemorySegment key = arena.allocate(ValueLayout.JAVA_INT);
        MemorySegment value = arena.allocate(handle.api().mapValueSize(map), 8);
        int rc = elements.lookup(map, key, value);
        if (rc < 0) {
            throw new BpfException(operation, "reading " + v.section() + " failed", -rc, List.of());
        }
        return value;
    }

    private void writeSection(Variable v, MemorySegment values, String operation, Arena arena) {
        MemorySegment key = arena.allocate(ValueLayout.JAVA_INT);
        int rc = elements.update(maps.get(v.section()), key, values, 0);
        if (rc < 0) {
            throw new BpfException(operation, "writing " + v.section() + " failed", -rc, List.of());
        }
    }
}
