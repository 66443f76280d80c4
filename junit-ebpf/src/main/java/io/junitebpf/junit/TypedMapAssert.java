package io.junitebpf.junit;

import io.junitebpf.map.TypedMap;
import org.assertj.core.api.AbstractAssert;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/**
 * Assertions on a {@link TypedMap}, read from the kernel when each assertion
 * runs. A failure shows the map's decoded contents, e.g.
 * <pre>
 * Expecting map flows (struct flow_key -&gt; struct flow_stats):
 *   {FlowKey[addr=167772161, port=53, proto=17, flags=0]=FlowStats[packets=4, ...]}
 * to contain:
 *   FlowKey[...]=FlowStats[packets=5, ...]
 * but its value is:
 *   FlowStats[packets=4, ...]
 * </pre>
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class TypedMapAssert<K, V> extends AbstractAssert<TypedMapAssert<K, V>, TypedMap<K, V>> {

    /** At most this many entries are shown in a failure. */
    static final int SHOWN_ENTRIES = 32;

    TypedMapAssert(TypedMap<K, V> actual) {
        super(actual, TypedMapAssert.class);
    }

    /** The map holds {@code value} under {@code key} (not for per-CPU maps: see {@link #hasPerCpuSum}). */
    public TypedMapAssert<K, V> containsEntry(K key, V value) {
        isNotNull();
        Optional<V> found = actual.get(key);
        if (found.isEmpty() || !Objects.equals(found.get(), value)) {
            failWithMessage("%nExpecting map %s:%n  %s%nto contain:%n  %s=%s%nbut %s", title(), contents(), key, value,
                    found.map(v -> "its value is:%n  ".formatted() + v).orElse("the key is absent"));
        }
        return this;
    }

    /** The map holds {@code key}. */
    public TypedMapAssert<K, V> containsKey(K key) {
        isNotNull();
        if (!actual.containsKey(key)) {
            failWithMessage("%nExpecting map %s:%n  %s%nto contain key:%n  %s", title(), contents(), key);
        }
        return this;
    }

    /** The map does not hold {@code key}. */
    public TypedMapAssert<K, V> doesNotContainKey(K key) {
        isNotNull();
        if (actual.containsKey(key)) {
            failWithMessage("%nExpecting map %s:%n  %s%nnot to contain key:%n  %s", title(), contents(), key);
        }
        return this;
    }

    /** The map holds exactly {@code expected} keys (an array always holds max_entries). */
    public TypedMapAssert<K, V> hasSize(int expected) {
        isNotNull();
        int size = actual.size();
        if (size != expected) {
            failWithMessage("%nExpecting map %s:%n  %s%nto have size:%n  %s%nbut has size:%n  %s", title(), contents(),
                    expected, size);
        }
        return this;
    }

    /** The map holds no key. */
    public TypedMapAssert<K, V> isEmpty() {
        isNotNull();
        if (actual.size() != 0) {
            failWithMessage("%nExpecting map %s to be empty but it holds:%n  %s", title(), contents());
        }
        return this;
    }

    /** The per-CPU values under {@code key}, numbers (e.g. {@code Long} for a {@code __u64}), add up to {@code expected}. */
    public TypedMapAssert<K, V> hasPerCpuSum(K key, long expected) {
        return hasPerCpuSum(key, v -> {
            if (!(v instanceof Number n)) {
                throw new IllegalArgumentException("hasPerCpuSum on map '" + actual.name() + "': values are "
                        + v.getClass().getSimpleName() + ", not numbers (pass the field to add up: "
                        + "hasPerCpuSum(key, Value::field, expected))");
            }
            return n.longValue();
        }, expected);
    }

    /** The per-CPU values under {@code key}, through {@code field}, add up to {@code expected}. */
    public TypedMapAssert<K, V> hasPerCpuSum(K key, ToLongFunction<? super V> field, long expected) {
        isNotNull();
        Objects.requireNonNull(field, "field");
        Optional<List<V>> values = actual.getPerCpu(key);
        if (values.isEmpty()) {
            failWithMessage("%nExpecting map %s:%n  %s%nto hold key:%n  %s%nwith a per-CPU sum of %s but the key is"
                    + " absent", title(), contents(), key, expected);
            return this;
        }
        long sum = values.get().stream().mapToLong(field).sum();
        if (sum != expected) {
            failWithMessage("%nExpecting the per-CPU values of key %s in map %s:%n  %s%nto add up to:%n  %s%nbut they"
                    + " add up to:%n  %s", key, title(), values.get(), expected, sum);
        }
        return this;
    }

    private String title() {
        return actual.name() + " (" + actual.cTypes() + ")";
    }

    private String contents() {
        Map<K, ?> entries = actual.perCpu() ? actual.entriesPerCpu() : actual.entries();
        String shown = entries.entrySet().stream().limit(SHOWN_ENTRIES).map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(",%n   ".formatted(), "{", ""));
        return shown + (entries.size() > SHOWN_ENTRIES ? ", ... and " + (entries.size() - SHOWN_ENTRIES) + " more}"
                : "}");
    }
}
