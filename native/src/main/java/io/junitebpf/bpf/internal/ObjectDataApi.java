package io.junitebpf.bpf.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Downcalls for an object's global data (the internal maps behind .data, .bss
 * and .rodata) and its BTF: what {@link GlobalData} needs. Map elements are
 * {@link MapApi}'s.
 */
public final class ObjectDataApi {

    /** {@code BPF_F_RDONLY_PROG}: programs cannot write; libbpf also freezes such internal maps after load. */
    public static final int F_RDONLY_PROG = 1 << 7;
    /** {@code BPF_F_MMAPABLE}: the array's values can be mmap'ed (Linux 5.5). */
    public static final int F_MMAPABLE = 1 << 10;
    /** {@code BTF_KIND_DATASEC}. */
    private static final int KIND_DATASEC = 15;

    private final NativeLibrary lib;

    /** Calls into the library {@code api} was opened from. */
    public ObjectDataApi(LibbpfApi api) {
        this.lib = api.library();
    }

    /** bpf_map__map_flags. */
    public int mapFlags(MemorySegment map) {
        return (int) call("bpf_map__map_flags", FunctionDescriptor.of(JAVA_INT, ADDRESS), map);
    }

    /**
     * bpf_map__initial_value: libbpf's image of an internal map (.data, .bss,
     * .rodata), as a segment of the map's value size; NULL for other maps.
     */
    public MemorySegment initialValue(MemorySegment map) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment size = arena.allocate(JAVA_LONG);
            MemorySegment image = (MemorySegment) call("bpf_map__initial_value",
                    FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS), map, size);
            return image.equals(MemorySegment.NULL) ? image : image.reinterpret(size.get(JAVA_LONG, 0));
        }
    }

    /** bpf_object__find_map_by_name: matches the ELF section name of internal maps (".bss"). NULL if none. */
    public MemorySegment findMap(MemorySegment object, String name) {
        try (Arena arena = Arena.ofConfined()) {
            return (MemorySegment) call("bpf_object__find_map_by_name",
                    FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS), object, arena.allocateFrom(name));
        }
    }

    /** The object's BTF as raw bytes (bpf_object__btf + btf__raw_data), or null when it has none. */
    public byte[] rawBtf(MemorySegment object) {
        MemorySegment btf = objectBtf(object);
        if (btf.equals(MemorySegment.NULL)) {
            return null;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment size = arena.allocate(JAVA_INT);
            MemorySegment data = (MemorySegment) call("btf__raw_data",
                    FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS), btf, size);
            if (data.equals(MemorySegment.NULL)) {
                return null;
            }
            return data.reinterpret(Integer.toUnsignedLong(size.get(JAVA_INT, 0))).toArray(ValueLayout.JAVA_BYTE);
        }
    }

    /**
     * The variables of the DATASEC named {@code section} in the object's BTF as
     * (VAR type id, offset, size) triples, with the offsets libbpf fixed up at
     * open (clang leaves them 0). Empty when the section has no DATASEC.
     */
    public int[][] sectionVariables(MemorySegment object, String section) {
        MemorySegment btf = objectBtf(object);
        if (btf.equals(MemorySegment.NULL)) {
            return new int[0][];
        }
        int id;
        try (Arena arena = Arena.ofConfined()) {
            id = (int) call("btf__find_by_name_kind", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT),
                    btf, arena.allocateFrom(section), KIND_DATASEC);
        }
        if (id <= 0) {
            return new int[0][];
        }
        MemorySegment type = (MemorySegment) call("btf__type_by_id", FunctionDescriptor.of(ADDRESS, ADDRESS,
                JAVA_INT), btf, id);
        // struct btf_type { name_off; info; size; } then vlen x struct btf_var_secinfo { type; offset; size; }
        int vlen = type.reinterpret(12).get(JAVA_INT, 4) & 0xffff;
        MemorySegment all = type.reinterpret(12 + 12L * vlen);
        int[][] vars = new int[vlen][];
        for (int i = 0; i < vlen; i++) {
            long at = 12 + 12L * i;
            vars[i] = new int[] {all.get(JAVA_INT, at), all.get(JAVA_INT, at + 4), all.get(JAVA_INT, at + 8)};
        }
        return vars;
    }

    private MemorySegment objectBtf(MemorySegment object) {
        return (MemorySegment) call("bpf_object__btf", FunctionDescriptor.of(ADDRESS, ADDRESS), object);
    }

    private Object call(String symbol, FunctionDescriptor descriptor, Object... args) {
        return lib.invoke(symbol, descriptor, since(symbol), args);
    }

    /** The libbpf version that introduced each symbol (from libbpf.map), for the too-old-library error. */
    private static String since(String symbol) {
        return switch (symbol) {
            case "btf__raw_data" -> "0.6";
            case "bpf_map__initial_value" -> "0.5";
            case "bpf_map__map_flags" -> "0.1";
            case "btf__find_by_name_kind" -> "0.0.6";
            case "bpf_object__btf" -> "0.0.2";
            default -> "0.0.1";
        };
    }
}
