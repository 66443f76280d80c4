package io.junitebpf.map;

import io.junitebpf.bpf.BpfMap;
import io.junitebpf.bpf.LoadedObject;
import io.junitebpf.bpf.UpdateFlag;
import io.junitebpf.btf.BtfType;
import io.junitebpf.event.LayoutException;
import io.junitebpf.event.ValueCodec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A view of a {@link BpfMap} keyed and valued by Java types checked against the
 * map's BTF key and value types ({@code __type(key, ...)}, {@code __type(value, ...)})
 * by {@link io.junitebpf.event.RecordLayout}'s rules: records for structs, {@code Integer}
 * for a {@code __u32}, {@code Long} for a {@code __u64}, and so on. The check happens
 * once, in {@link #of}, before any kernel call; a mismatch throws {@link LayoutException}
 * naming the map, the member, its C type and its offset.
 *
 * <p>Per-CPU maps hold one value per possible CPU: read them with {@link #getPerCpu}
 * and {@link #entriesPerCpu}, write them with {@link #putPerCpu} or {@link #putAllCpus};
 * the shared-value methods refuse them, and the other way round.
 *
 * <pre>{@code
 * TypedMap<PortKey, Counter> counts = TypedMap.of(bpf, "counts", PortKey.class, Counter.class);
 * counts.put(new PortKey(53, 17), new Counter(0, 0, "", new int[4]));
 * Optional<Counter> c = counts.get(new PortKey(53, 17));
 * }</pre>
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class TypedMap<K, V> {

    private final BpfMap map;
    private final ValueCodec<K> keys;
    private final ValueCodec<V> values;
    private final boolean perCpu;

    private TypedMap(BpfMap map, ValueCodec<K> keys, ValueCodec<V> values) {
        this.map = map;
        this.keys = keys;
        this.values = values;
        this.perCpu = map.perCpu();
    }

    /**
     * The map {@code name} of {@code object} seen through {@code keyType} and {@code valueType}.
     *
     * @throws IllegalArgumentException when the object has no such map (the message lists its maps)
     * @throws LayoutException          when a type does not match the map's BTF, or the map declares no BTF type
     */
    public static <K, V> TypedMap<K, V> of(LoadedObject object, String name, Class<K> keyType, Class<V> valueType) {
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(valueType, "valueType");
        if (!object.mapNames().contains(name)) {
            throw new IllegalArgumentException("view map '" + name + "' of " + object.name() + ": no such map (maps: "
                    + String.join(", ", object.mapNames()) + ")");
        }
        BpfMap map = object.map(name);
        ValueCodec<K> k = ValueCodec.of(keyType, btfType(object, name, "key"), "map '" + name + "' key");
        ValueCodec<V> v = ValueCodec.of(valueType, btfType(object, name, "value"), "map '" + name + "' value");
        requireSize(name, "key", k.size(), map.keySize());
        requireSize(name, "value", v.size(), map.valueSize());
        return new TypedMap<>(map, k, v);
    }

    private static BtfType btfType(LoadedObject object, String name, String member) {
        return MapTypes.member(object.btf(), name, member).orElseThrow(() -> new LayoutException("map '" + name
                + "' of " + object.name() + ": its definition declares no BTF " + member + " type (declare it with"
                + " __type(" + member + ", ...) instead of __uint(" + member + "_size, ...), or use BpfMap's bytes)"));
    }

    private static void requireSize(String map, String what, int btf, int kernel) {
        if (btf != kernel) {
            throw new LayoutException("map '" + map + "' " + what + ": BTF type of " + btf + " bytes, the map's "
                    + what + " size is " + kernel);
        }
    }

    /** The map underneath, for byte-level access. */
    public BpfMap map() {
        return map;
    }

    /** The map's name. */
    public String name() {
        return map.name();
    }

    /** Whether the map holds one value per possible CPU. */
    public boolean perCpu() {
        return perCpu;
    }

    /** The C types, e.g. "struct port_key -> struct counter". */
    public String cTypes() {
        return keys.cType().cTypeName() + " -> " + values.cType().cTypeName();
    }

    /** The value under {@code key}, or empty. */
    public Optional<V> get(K key) {
        requireShared("get", "getPerCpu");
        return map.lookup(keys.encode(key)).map(values::decode);
    }

    /** The values of every possible CPU under {@code key}, indexed by CPU, or empty. */
    public Optional<List<V>> getPerCpu(K key) {
        requirePerCpu("getPerCpu", "get");
        return map.lookupPerCpu(keys.encode(key)).map(list -> list.stream().map(values::decode).toList());
    }

    /** Inserts or replaces the value under {@code key}. */
    public void put(K key, V value) {
        put(key, value, UpdateFlag.ANY);
    }

    /** Stores {@code value} under {@code key} with {@code flag} (see {@link BpfMap#update(byte[], byte[], UpdateFlag)}). */
    public void put(K key, V value, UpdateFlag flag) {
        requireShared("put", "putPerCpu or putAllCpus");
        map.update(keys.encode(key), values.encode(value), flag);
    }

    /** Stores one value per possible CPU under {@code key} ({@code perCpuValues.get(cpu)}). */
    public void putPerCpu(K key, List<V> perCpuValues) {
        requirePerCpu("putPerCpu", "put");
        Objects.requireNonNull(perCpuValues, "perCpuValues");
        map.updatePerCpu(keys.encode(key), perCpuValues.stream().map(values::encode).toList(), UpdateFlag.ANY);
    }

    /** Stores {@code value} for every possible CPU under {@code key}. */
    public void putAllCpus(K key, V value) {
        requirePerCpu("putAllCpus", "put");
        byte[] encoded = values.encode(value);
        List<byte[]> all = new ArrayList<>();
        for (int cpu = 0; cpu < map.possibleCpus(); cpu++) {
            all.add(encoded);
        }
        map.updatePerCpu(keys.encode(key), all, UpdateFlag.ANY);
    }

    /** Deletes {@code key}; whether it existed. Array maps refuse (their elements always exist). */
    public boolean delete(K key) {
        return map.delete(keys.encode(key));
    }

    /** Whether {@code key} is present. */
    public boolean containsKey(K key) {
        byte[] k = keys.encode(key);
        return perCpu ? map.lookupPerCpu(k).isPresent() : map.lookup(k).isPresent();
    }

    /** The keys, in the kernel's iteration order. */
    public List<K> keys() {
        return map.keys().map(keys::decode).toList();
    }

    /** A snapshot of every entry, in the kernel's iteration order. */
    public Map<K, V> entries() {
        requireShared("entries", "entriesPerCpu");
        Map<K, V> out = new LinkedHashMap<>();
        map.entries().forEach(e -> out.put(keys.decode(e.key()), values.decode(e.value())));
        return out;
    }

    /** A snapshot of every entry of a per-CPU map, each value listed by CPU. */
    public Map<K, List<V>> entriesPerCpu() {
        requirePerCpu("entriesPerCpu", "entries");
        Map<K, List<V>> out = new LinkedHashMap<>();
        map.keys().forEach(k -> map.lookupPerCpu(k).ifPresent(list ->
                out.put(keys.decode(k), list.stream().map(values::decode).toList())));
        return out;
    }

    /** How many keys the map holds now (an array: always its max_entries). */
    public int size() {
        return (int) map.keys().count();
    }

    /**
     * Stores every entry of {@code fixture}: the way to give a program its input
     * before a test. Per-CPU maps get each value on every CPU.
     */
    public TypedMap<K, V> fill(Map<? extends K, ? extends V> fixture) {
        Objects.requireNonNull(fixture, "fixture");
        fixture.forEach((k, v) -> {
            if (perCpu) {
                putAllCpus(k, v);
            } else {
                put(k, v);
            }
        });
        return this;
    }

    private void requireShared(String method, String alternative) {
        if (perCpu) {
            throw new IllegalArgumentException(method + " on map '" + name() + "': the map is per-CPU, one value per"
                    + " possible CPU (use " + alternative + ")");
        }
    }

    private void requirePerCpu(String method, String alternative) {
        if (!perCpu) {
            throw new IllegalArgumentException(method + " on map '" + name() + "': the map is not per-CPU (use "
                    + alternative + ")");
        }
    }

    @Override
    public String toString() {
        return "TypedMap[" + name() + ": " + keys.type().getSimpleName() + " -> " + values.type().getSimpleName()
                + " (" + cTypes() + ")]";
    }
}
