package io.junitebpf.bpf;

import io.junitebpf.bpf.internal.MapElements;
import io.junitebpf.bpf.internal.ObjectHandle;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A map of a loaded object: its shape, and its elements as byte arrays in the
 * kernel's layout (the machine's byte order).
 *
 * <p>Keys and values must have exactly the map's sizes: a wrong size throws
 * {@link IllegalArgumentException} naming the map and both sizes, before
 * anything reaches libbpf. An absent key is not an error for {@link #lookup}
 * (empty) and {@link #delete} (false); kernel refusals throw {@link BpfException}
 * with the errno. Per-CPU maps hold one value per possible CPU: use
 * {@link #lookupPerCpu} and {@link #updatePerCpu}. Every call fails with
 * {@link IllegalStateException} once the object is closed.
 */
public final class BpfMap {

    private final ObjectHandle handle;
    private final String name;
    private final MapElements elements;

    BpfMap(ObjectHandle handle, String name) {
        this.handle = handle;
        this.name = name;
        this.elements = new MapElements(handle, name, this::explain);
    }

    /** One key and its value, both copies. */
    public record Entry(byte[] key, byte[] value) {
    }

    /** The map's name as libbpf reports it (internal maps: e.g. "maps.bss"). */
    public String name() {
        return name;
    }

    /** The map's type ({@code enum bpf_map_type}). */
    public MapType type() {
        return MapType.of(handle.withArena(a -> handle.api().mapType(handle.map(name))));
    }

    /** The key size in bytes. */
    public int keySize() {
        return handle.withArena(a -> handle.api().mapKeySize(handle.map(name)));
    }

    /** The value size in bytes (per CPU, for per-CPU maps). */
    public int valueSize() {
        return handle.withArena(a -> handle.api().mapValueSize(handle.map(name)));
    }

    /** The most elements the map can hold. */
    public int maxEntries() {
        return handle.withArena(a -> handle.api().mapMaxEntries(handle.map(name)));
    }

    int fd() {
        return handle.withArena(a -> handle.api().mapFd(handle.map(name)));
    }

    /** Whether the map holds one value per possible CPU (PERCPU_HASH, PERCPU_ARRAY, LRU_PERCPU_HASH). */
    public boolean perCpu() {
        return type().perCpu();
    }

    /** How many values each key of a per-CPU map has: libbpf_num_possible_cpus(). */
    public int possibleCpus() {
        return elements.possibleCpus();
    }

    /**
     * The value stored under {@code key}, or empty when there is none.
     *
     * @throws IllegalArgumentException when the key has the wrong size or the map is per-CPU
     */
    public Optional<byte[]> lookup(byte[] key) {
        String op = operation("look up key in");
        requireShared(op, "lookupPerCpu");
        requireKey(key, op);
        return Optional.ofNullable(elements.lookup(key, valueSize(), op));
    }

    /**
     * The values of every possible CPU stored under {@code key} in a per-CPU map,
     * each {@link #valueSize()} bytes and indexed by CPU number; empty when the
     * key is absent.
     */
    public Optional<List<byte[]>> lookupPerCpu(byte[] key) {
        String op = operation("look up per-CPU key in");
        requirePerCpu(op, "lookup");
        requireKey(key, op);
        int size = valueSize();
        int slot = slotSize(size);
        byte[] all = elements.lookup(key, slot * possibleCpus(), op);
        if (all == null) {
            return Optional.empty();
        }
        List<byte[]> values = new ArrayList<>(possibleCpus());
        for (int cpu = 0; cpu < possibleCpus(); cpu++) {
            values.add(java.util.Arrays.copyOfRange(all, cpu * slot, cpu * slot + size));
        }
        return Optional.of(values);
    }

    /** Inserts or replaces the value under {@code key} ({@link UpdateFlag#ANY}). */
    public void update(byte[] key, byte[] value) {
        update(key, value, UpdateFlag.ANY);
    }

    /**
     * Stores {@code value} under {@code key}.
     *
     * @throws IllegalArgumentException when key or value has the wrong size, or the map is per-CPU
     * @throws BpfException             e.g. {@link Errno#EEXIST} for {@link UpdateFlag#NOEXIST} on an existing key,
     *                                  {@link Errno#ENOENT} for {@link UpdateFlag#EXIST} on an absent one,
     *                                  {@link Errno#E2BIG} when a hash map is full or an array index is too large
     */
    public void update(byte[] key, byte[] value, UpdateFlag flag) {
        Objects.requireNonNull(flag, "flag");
        String op = operation("update key in");
        requireShared(op, "updatePerCpu");
        requireKey(key, op);
        requireSize(value, valueSize(), "value", op);
        elements.update(key, value, flag.value(), op);
    }

    /** Stores one value per possible CPU under {@code key} in a per-CPU map ({@code values.get(cpu)}). */
    public void updatePerCpu(byte[] key, List<byte[]> values, UpdateFlag flag) {
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(flag, "flag");
        String op = operation("update per-CPU key in");
        requirePerCpu(op, "update");
        requireKey(key, op);
        int cpus = possibleCpus();
        if (values.size() != cpus) {
            throw new IllegalArgumentException(op + ": " + values.size() + " values given, the machine has " + cpus
                    + " possible CPUs (pass one value per possible CPU)");
        }
        int size = valueSize();
        int slot = slotSize(size);
        byte[] all = new byte[slot * cpus];
        for (int cpu = 0; cpu < cpus; cpu++) {
            requireSize(values.get(cpu), size, "value for CPU " + cpu, op);
            System.arraycopy(values.get(cpu), 0, all, cpu * slot, size);
        }
        elements.update(key, all, flag.value(), op);
    }

    /**
     * Deletes {@code key}.
     *
     * @return whether the key existed
     * @throws BpfException with {@link Errno#EINVAL} for array maps, whose elements always exist
     */
    public boolean delete(byte[] key) {
        String op = operation("delete key from");
        requireKey(key, op);
        return elements.delete(key, op);
    }

    /**
     * The keys, read lazily with {@code bpf_map__get_next_key}. Keys deleted
     * while iterating a hash map may make the kernel restart from the first
     * key, so the stream may repeat keys then; it never yields more than
     * {@link #maxEntries()} keys. Arrays yield every index.
     */
    public Stream<byte[]> keys() {
        String op = operation("iterate keys of");
        int keySize = keySize();
        int limit = maxEntries();
        Iterator<byte[]> iterator = new Iterator<>() {
            private byte[] next = elements.nextKey(null, keySize, op);
            private int yielded;

            @Override
            public boolean hasNext() {
                return next != null && yielded < limit;
            }

            @Override
            public byte[] next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                byte[] current = next;
                yielded++;
                next = yielded < limit ? elements.nextKey(current, keySize, op) : null;
                return current.clone();
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator,
                Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    /**
     * The keys and their values, lazily; a key deleted between reading it and
     * its value is skipped. Not for per-CPU maps (use {@link #keys()} and
     * {@link #lookupPerCpu}).
     */
    public Stream<Entry> entries() {
        requireShared(operation("iterate entries of"), "keys() and lookupPerCpu");
        return keys().flatMap(key -> lookup(key).map(value -> new Entry(key, value)).stream());
    }

    private String explain(int errno) {
        return switch (Errno.of(errno)) {
            case EEXIST -> "the key exists (UpdateFlag.NOEXIST only inserts; an array's keys always exist)";
            case ENOENT -> "no such key (UpdateFlag.EXIST only replaces)";
            case E2BIG -> "no room: the map holds " + maxEntries() + " entries (or an array index is past the end)";
            case EINVAL -> type() == MapType.ARRAY || type() == MapType.PERCPU_ARRAY
                    ? "invalid for an array map (array elements cannot be deleted: update them with zeros)"
                    : "invalid argument";
            case EPERM -> "not permitted (a .rodata or .kconfig map is frozen after load)";
            default -> "failed";
        };
    }

    /**
     * Throws unless the map is of type {@code expected}, saying what reads the type it has.
     *
     * @param operation e.g. "open ring buffer 'events' of uprobe.bpf.o"
     */
    void requireType(MapType expected, String operation) {
        MapType type = type();
        if (type == expected) {
            return;
        }
        String hint = switch (type) {
            case PERF_EVENT_ARRAY -> "read it with LoadedObject.perfBuffer(\"" + name + "\")";
            case RINGBUF -> "read it with LoadedObject.ringBuffer(\"" + name + "\")";
            default -> "declare it in BPF C with __uint(type, " + expected + ")";
        };
        throw new BpfException(operation, "'" + name + "' is a " + type + ", not a " + expected + " (" + hint + ")",
                0, List.of());
    }

    private String operation(String what) {
        return what + " map '" + name + "' of " + handle.displayName();
    }

    private void requireKey(byte[] key, String op) {
        requireSize(key, keySize(), "key", op);
    }

    private void requireSize(byte[] bytes, int expected, String what, String op) {
        Objects.requireNonNull(bytes, what);
        if (bytes.length != expected) {
            throw new IllegalArgumentException(op + ": " + what + " is " + bytes.length + " bytes, the map's "
                    + (what.startsWith("key") ? "key" : "value") + " size is " + expected
                    + " (pass exactly " + expected + " bytes in the kernel's layout)");
        }
    }

    private void requireShared(String op, String alternative) {
        if (perCpu()) {
            throw new IllegalArgumentException(op + ": the map is per-CPU (type " + type() + "; use " + alternative
                    + ")");
        }
    }

    private void requirePerCpu(String op, String alternative) {
        if (!perCpu()) {
            throw new IllegalArgumentException(op + ": the map is not per-CPU (type " + type() + "; use "
                    + alternative + ")");
        }
    }

    /** A per-CPU value occupies its size rounded up to 8 bytes in the kernel's buffer. */
    private static int slotSize(int valueSize) {
        return (valueSize + 7) / 8 * 8;
    }

    @Override
    public String toString() {
        return "BpfMap[" + name + "]";
    }
}
