package io.junitebpf.bpf;

import io.junitebpf.bpf.internal.ObjectHandle;

/** A map of a loaded object: its shape and file descriptor. */
public final class BpfMap {

    /** BPF_MAP_TYPE_RINGBUF. */
    public static final int TYPE_RINGBUF = 27;
    /** BPF_MAP_TYPE_PERF_EVENT_ARRAY. */
    public static final int TYPE_PERF_EVENT_ARRAY = 4;

    private final ObjectHandle handle;
    private final String name;

    BpfMap(ObjectHandle handle, String name) {
        this.handle = handle;
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** The kernel's {@code enum bpf_map_type} value. */
    public int type() {
        return handle.withArena(a -> handle.api().mapType(handle.map(name)));
    }

    public int keySize() {
        return handle.withArena(a -> handle.api().mapKeySize(handle.map(name)));
    }

    public int valueSize() {
        return handle.withArena(a -> handle.api().mapValueSize(handle.map(name)));
    }

    public int maxEntries() {
        return handle.withArena(a -> handle.api().mapMaxEntries(handle.map(name)));
    }

    int fd() {
        return handle.withArena(a -> handle.api().mapFd(handle.map(name)));
    }

    @Override
    public String toString() {
        return "BpfMap[" + name + "]";
    }
}
