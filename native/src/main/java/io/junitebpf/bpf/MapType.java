package io.junitebpf.bpf;

/**
 * The kernel's {@code enum bpf_map_type}, in its order (the ordinal is the
 * kernel's number). {@link #toString()} gives the kernel's name, e.g.
 * {@code BPF_MAP_TYPE_RINGBUF}.
 */
public enum MapType {
    UNSPEC, HASH, ARRAY, PROG_ARRAY, PERF_EVENT_ARRAY, PERCPU_HASH, PERCPU_ARRAY, STACK_TRACE, CGROUP_ARRAY,
    LRU_HASH, LRU_PERCPU_HASH, LPM_TRIE, ARRAY_OF_MAPS, HASH_OF_MAPS, DEVMAP, SOCKMAP, CPUMAP, XSKMAP, SOCKHASH,
    CGROUP_STORAGE, REUSEPORT_SOCKARRAY, PERCPU_CGROUP_STORAGE, QUEUE, STACK, SK_STORAGE, DEVMAP_HASH, STRUCT_OPS,
    RINGBUF, INODE_STORAGE, TASK_STORAGE, BLOOM_FILTER, USER_RINGBUF, CGRP_STORAGE, ARENA;

    private static final MapType[] VALUES = values();

    /** The kernel's number for this type. */
    public int value() {
        return ordinal();
    }

    /**
     * The type with the kernel's number {@code value}.
     *
     * @throws IllegalArgumentException for a number newer than this library knows
     */
    public static MapType of(int value) {
        if (value < 0 || value >= VALUES.length) {
            throw new IllegalArgumentException("map type " + value + " is not a known enum bpf_map_type value"
                    + " (this library knows 0.." + (VALUES.length - 1) + ")");
        }
        return VALUES[value];
    }

    /** Whether each key holds one value per possible CPU. */
    public boolean perCpu() {
        return this == PERCPU_HASH || this == PERCPU_ARRAY || this == LRU_PERCPU_HASH
                || this == PERCPU_CGROUP_STORAGE;
    }

    @Override
    public String toString() {
        return "BPF_MAP_TYPE_" + name();
    }
}
