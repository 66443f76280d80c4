package io.junitebpf.bpf.internal;

import io.junitebpf.bpf.BpfException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Element access to one map of a loaded object, on byte arrays. The caller
 * (the public {@code BpfMap}) has checked the sizes; libbpf checks them again.
 * Every call takes the object's lock and fails with {@link IllegalStateException}
 * once the object is closed, so no call reaches libbpf with a freed map.
 */
public final class MapElements {

    /** -ENOENT: the key is absent, or (get_next_key) there is no next key. */
    private static final int ENOENT = 2;

    private final ObjectHandle handle;
    private final MapApi api;
    private final String mapName;
    private final IntFunction<String> explain;

    /**
     * @param explain turns a positive errno into the "detail (hint)" part of the
     *                message, so the map's owner can say what EINVAL means for its map type
     */
    public MapElements(ObjectHandle handle, String mapName, IntFunction<String> explain) {
        this.handle = handle;
        this.api = new MapApi(handle.api());
        this.mapName = mapName;
        this.explain = explain;
    }

    /** libbpf_num_possible_cpus(): how many values a per-CPU map holds per key. */
    public int possibleCpus() {
        return api.possibleCpus();
    }

    /** The value, {@code valueBytes} long, or null when the key is absent. */
    public byte[] lookup(byte[] key, int valueBytes, String operation) {
        return handle.withArena(arena -> {
            MemorySegment value = arena.allocate(valueBytes, 8);
            int rc = logged(operation, () -> api.lookup(map(operation), copy(arena, key), value));
            if (rc == -ENOENT) {
                return null;
            }
            check(rc, operation);
            return value.toArray(ValueLayout.JAVA_BYTE);
        });
    }

    /** Inserts or replaces; failures (EEXIST, ENOENT, E2BIG, ...) throw with the errno. */
    public void update(byte[] key, byte[] value, long flags, String operation) {
        handle.withArena(arena -> {
            int rc = logged(operation, () -> api.update(map(operation), copy(arena, key), copy(arena, value), flags));
            return check(rc, operation);
        });
    }

    /** Deletes; false when the key was absent. */
    public boolean delete(byte[] key, String operation) {
        return handle.withArena(arena -> {
            int rc = logged(operation, () -> api.delete(map(operation), copy(arena, key)));
            if (rc == -ENOENT) {
                return false;
            }
            check(rc, operation);
            return true;
        });
    }

    /** The key after {@code key} (the first when null), or null after the last. */
    public byte[] nextKey(byte[] key, int keySize, String operation) {
        return handle.withArena(arena -> {
            MemorySegment next = arena.allocate(Math.max(1, keySize), 8).asSlice(0, keySize);
            MemorySegment current = key == null ? MemorySegment.NULL : copy(arena, key);
            int rc = logged(operation, () -> api.nextKey(map(operation), current, next));
            if (rc == -ENOENT) {
                return null;
            }
            check(rc, operation);
            return next.toArray(ValueLayout.JAVA_BYTE);
        });
    }

    private MemorySegment map(String operation) {
        MemorySegment map = handle.map(mapName);
        if (!handle.loaded() || handle.api().mapFd(map) < 0) {
            throw new IllegalStateException(operation + ": the map was not created in the kernel"
                    + " (load the object first)");
        }
        return map;
    }

    private static MemorySegment copy(Arena arena, byte[] bytes) {
        // Zero-length keys (ring buffers have none) still need a valid pointer.
        MemorySegment segment = arena.allocate(Math.max(1, bytes.length), 8).asSlice(0, bytes.length);
        MemorySegment.copy(bytes, 0, segment, ValueLayout.JAVA_BYTE, 0, bytes.length);
        return segment;
    }

    private interface Call {
        int run();
    }

    private int logged(String operation, Call call) {
        try (LogCapture log = LogCapture.start()) {
            int rc = call.run();
            if (rc < 0 && rc != -ENOENT && !log.lines().isEmpty()) {
                throw new BpfException(operation, explain.apply(-rc), -rc, log.lines());
            }
            return rc;
        }
    }

    private Void check(int rc, String operation) {
        if (rc < 0) {
            throw new BpfException(operation, explain.apply(-rc), -rc, List.of());
        }
        return null;
    }
}
