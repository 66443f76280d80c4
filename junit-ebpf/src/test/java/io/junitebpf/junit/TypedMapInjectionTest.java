package io.junitebpf.junit;

import io.junitebpf.map.TypedGlobal;
import io.junitebpf.map.TypedMap;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.junitebpf.junit.EbpfAssertions.assertThat;
import static io.junitebpf.junit.FailurePathsTest.failures;
import static io.junitebpf.junit.FailurePathsTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Typed maps and globals injected by @Bpf, filled by @MapFixture, and their assertions' messages. */
@EbpfTest(objects = "bpf-test/typed_maps.bpf.o")
class TypedMapInjectionTest {

    record FlowKey(int addr, short port, byte proto, byte flags) {
    }

    record Range(int lo, int hi) {
    }

    record Settings(int step, String name) {
    }

    /** Only the member this test needs: the record may leave members out. */
    record Packets(long packets) {
    }

    static Map<Integer, Range> ranges() {
        return Map.of(0, new Range(1, 2), 1, new Range(3, 4));
    }

    static Map<Integer, Long> counts() {
        return Map.of(7, 3L);
    }

    @Bpf("cpu_counts")
    @MapFixture("counts")
    TypedMap<Integer, Long> countsField;

    @Test
    void fieldsAreInjectedAndFilledToo() {
        assertThat(countsField).containsKey(7).hasPerCpuSum(7, 3L * countsField.map().possibleCpus());
    }

    @Test
    void typedViewsAreInjectedAndFilled(@Bpf("cpu_ranges") @MapFixture("ranges") TypedMap<Integer, Range> ranges,
                                        @Bpf("cpu_counts") @MapFixture("counts") TypedMap<Integer, Long> counts,
                                        @Bpf("settings") TypedGlobal<Settings> settings) {
        int cpus = counts.map().possibleCpus();
        assertThat(ranges.getPerCpu(1).orElseThrow()).hasSize(cpus).containsOnly(new Range(3, 4));
        assertThat(counts).containsKey(7).doesNotContainKey(8).hasSize(1).hasPerCpuSum(7, 3L * cpus);
        assertThat(ranges).hasPerCpuSum(0, Range::hi, 2L * cpus);
        assertThat(settings.get()).isEqualTo(new Settings(1, "default"));
    }

    @Test
    void failuresShowTheDecodedContents(@Bpf("flows") TypedMap<FlowKey, Packets> flows,
                                        @Bpf("cpu_counts") @MapFixture("counts") TypedMap<Integer, Long> counts) {
        assertThat(flows).isEmpty();
        assertThatThrownBy(() -> assertThat(flows).containsKey(new FlowKey(1, (short) 2, (byte) 3, (byte) 4)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting map flows (struct flow_key -> struct flow_stats):")
                .hasMessageContaining("{}").hasMessageContaining("to contain key:")
                .hasMessageContaining("FlowKey[addr=1, port=2, proto=3, flags=4]");
        FlowKey key = new FlowKey(1, (short) 53, (byte) 17, (byte) 0);
        flows.put(key, new Packets(4));
        assertThat(flows).containsEntry(key, new Packets(4));
        assertThatThrownBy(() -> assertThat(flows).containsEntry(key, new Packets(5)))
                .hasMessageContaining("to contain:\n  FlowKey[addr=1, port=53, proto=17, flags=0]=Packets[packets=5]")
                .hasMessageContaining("but its value is:\n  Packets[packets=4]")
                .hasMessageContaining("{FlowKey[addr=1, port=53, proto=17, flags=0]=Packets[packets=4]}");
        assertThatThrownBy(() -> assertThat(counts).hasPerCpuSum(7, 1))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("per-CPU values of key 7 in map cpu_counts (__u32 -> __u64)")
                .hasMessageContaining("to add up to:\n  1").hasMessageContaining("[3, 3");
        assertThatThrownBy(() -> assertThat(counts).hasSize(2)).hasMessageContaining("{7=[3, 3");
    }

    @EbpfTest(objects = "bpf-test/typed_maps.bpf.o")
    static class BadInjectionTestCases {
        static List<Range> notAMap() {
            return List.of();
        }

        @Test
        void wrongValueType(@Bpf("flows") TypedMap<FlowKey, Long> flows) {
        }

        @Test
        void unknownMap(@Bpf("flow") TypedMap<FlowKey, Long> flows) {
        }

        @Test
        void unnamed(@Bpf TypedMap<Integer, Long> counts) {
        }

        @Test
        @SuppressWarnings("rawtypes")
        void raw(@Bpf("cpu_counts") TypedMap counts) {
        }

        @Test
        void missingFixture(@Bpf("cpu_counts") @MapFixture("nothing") TypedMap<Integer, Long> counts) {
        }

        @Test
        void fixtureNotAMap(@Bpf("cpu_counts") @MapFixture("notAMap") TypedMap<Integer, Long> counts) {
        }

        @Test
        void unknownGlobal(@Bpf("setting") TypedGlobal<Settings> settings) {
        }
    }

    @Test
    void badInjectionsNameTheParameterAndTheFix() {
        List<String> messages = failures(run(BadInjectionTestCases.class, Map.of()));
        assertThat(messages).hasSize(7);
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("parameter flows", "map 'flows' value",
                "Long cannot hold struct flow_stats", "packets, bytes"));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("map 'flow'", "no such map", "flows, slots"));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("name the map", "@Bpf(\"map_name\")"));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("declare the key and value types as classes"));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("@MapFixture(\"nothing\")",
                "no method nothing() in BadInjectionTestCases"));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("@MapFixture(\"notAMap\")",
                "must be static and return a java.util.Map"));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("find global 'setting'", "no such global",
                "settings"));
    }
}
