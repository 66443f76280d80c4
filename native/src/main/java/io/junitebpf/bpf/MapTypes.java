package io.junitebpf.bpf;

import java.util.List;

/** Checks that a map is of the type a consumer reads, with a message that says what to use instead. */
final class MapTypes {

    private MapTypes() {
    }

    /** The kernel's name for the map types users are likely to confuse; the number otherwise. */
    static String name(int type) {
        return switch (type) {
            case 1 -> "BPF_MAP_TYPE_HASH";
            case 2 -> "BPF_MAP_TYPE_ARRAY";
            case BpfMap.TYPE_PERF_EVENT_ARRAY -> "BPF_MAP_TYPE_PERF_EVENT_ARRAY";
            case 5 -> "BPF_MAP_TYPE_PERCPU_HASH";
            case 6 -> "BPF_MAP_TYPE_PERCPU_ARRAY";
            case BpfMap.TYPE_RINGBUF -> "BPF_MAP_TYPE_RINGBUF";
            case 31 -> "BPF_MAP_TYPE_USER_RINGBUF";
            default -> "map type " + type;
        };
    }

    /**
     * Throws unless {@code map} has type {@code expected}.
     *
     * @param operation e.g. "open ring buffer 'events' of uprobe.bpf.o"
     */
    static void require(BpfMap map, int expected, String operation) {
        int type = map.type();
        if (type == expected) {
            return;
        }
        String hint = switch (type) {
            case BpfMap.TYPE_PERF_EVENT_ARRAY -> "read it with LoadedObject.perfBuffer(\"" + map.name() + "\")";
            case BpfMap.TYPE_RINGBUF -> "read it with LoadedObject.ringBuffer(\"" + map.name() + "\")";
            default -> "declare it in BPF C with __uint(type, " + name(expected) + ")";
        };
        throw new BpfException(operation, "'" + map.name() + "' is a " + name(type) + ", not a " + name(expected)
                + " (" + hint + ")", 0, List.of());
    }
}
