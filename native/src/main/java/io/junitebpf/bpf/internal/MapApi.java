package io.junitebpf.bpf.internal;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Downcalls for map elements. Kept apart from {@link LibbpfApi} (objects,
 * programs, links, buffers) and {@link ObjectDataApi} (global data, BTF) so each
 * stays small.
 *
 * <p>Element calls are libbpf 1.0's {@code bpf_map__*_elem} family: they take
 * the key and value sizes and refuse wrong ones with {@code -EINVAL}, a second
 * line of defence behind the Java-side checks. They return {@code -errno}.
 */
public final class MapApi {

    private static volatile int possibleCpus;

    private final NativeLibrary lib;

    /** Calls into the library {@code api} was opened from. */
    public MapApi(LibbpfApi api) {
        this.lib = api.library();
    }

    /** bpf_map__lookup_elem: 0, or -errno (-ENOENT when the key is absent). */
    public int lookup(MemorySegment map, MemorySegment key, MemorySegment value) {
        return (int) call("bpf_map__lookup_elem",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG),
                map, key, key.byteSize(), value, value.byteSize(), 0L);
    }

    /** bpf_map__update_elem with BPF_ANY, BPF_NOEXIST or BPF_EXIST. */
    public int update(MemorySegment map, MemorySegment key, MemorySegment value, long flags) {
        return (int) call("bpf_map__update_elem",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG),
                map, key, key.byteSize(), value, value.byteSize(), flags);
    }

    /** bpf_map__delete_elem: 0, or -errno (-ENOENT when the key is absent). */
    public int delete(MemorySegment map, MemorySegment key) {
        return (int) call("bpf_map__delete_elem",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG), map, key, key.byteSize(), 0L);
    }

    /** bpf_map__get_next_key; {@code current} NULL asks for the first key. -ENOENT after the last. */
    public int nextKey(MemorySegment map, MemorySegment current, MemorySegment next) {
        return (int) call("bpf_map__get_next_key",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG), map, current, next,
                next.byteSize());
    }

    /** libbpf_num_possible_cpus(): the number of value slots of a per-CPU map. Cached. */
    public int possibleCpus() {
        int n = possibleCpus;
        if (n <= 0) {
            n = (int) call("libbpf_num_possible_cpus", FunctionDescriptor.of(JAVA_INT));
            if (n <= 0) {
                throw Errors.failure("count possible CPUs", "libbpf_num_possible_cpus returned " + n
                        + " (is /sys/devices/system/cpu/possible readable?)", java.util.List.of());
            }
            possibleCpus = n;
        }
        return n;
    }

    private Object call(String symbol, FunctionDescriptor descriptor, Object... args) {
        return lib.invoke(symbol, descriptor, since(symbol), args);
    }

    /** The libbpf version that introduced each symbol (from libbpf.map), for the too-old-library error. */
    private static String since(String symbol) {
        return switch (symbol) {
            case "bpf_map__lookup_elem", "bpf_map__update_elem", "bpf_map__delete_elem",
                 "bpf_map__get_next_key" -> "0.8";
            default -> "0.0.4"; // libbpf_num_possible_cpus
        };
    }
}
