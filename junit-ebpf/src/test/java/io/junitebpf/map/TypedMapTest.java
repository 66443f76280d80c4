package io.junitebpf.map;

import io.junitebpf.bpf.BpfException;
import io.junitebpf.bpf.LoadedObject;
import io.junitebpf.bpf.Program;
import io.junitebpf.bpf.UpdateFlag;
import io.junitebpf.junit.Bpf;
import io.junitebpf.junit.EbpfTest;
import io.junitebpf.map.Flows.FlowKey;
import io.junitebpf.map.Flows.FlowStats;
import io.junitebpf.map.Flows.Range;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static io.junitebpf.map.Flows.ADDR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@EbpfTest(objects = "bpf-test/typed_maps.bpf.o")
class TypedMapTest {

    @Test
    void recordsRoundTripThroughAHashMap(LoadedObject bpf) {
        TypedMap<FlowKey, FlowStats> flows = TypedMap.of(bpf, "flows", FlowKey.class, FlowStats.class);
        FlowStats stats = new FlowStats(3, 300, "dns", new short[] {1, 2, 3, -1}, new Range(-5, 7));
        flows.put(FlowKey.udp(ADDR, 53), stats);

        assertThat(flows.get(FlowKey.udp(ADDR, 53))).contains(stats);
        assertThat(flows.get(FlowKey.udp(ADDR, 54))).isEmpty();
        assertThat(flows.entries()).containsExactly(Map.entry(FlowKey.udp(ADDR, 53), stats));
        assertThat(flows.size()).isEqualTo(1);
        assertThat(flows.containsKey(FlowKey.udp(ADDR, 53))).isTrue();
        assertThat(flows.cTypes()).isEqualTo("struct flow_key -> struct flow_stats");
        assertThat(flows.delete(FlowKey.udp(ADDR, 53))).isTrue();
        assertThat(flows.delete(FlowKey.udp(ADDR, 53))).isFalse();
        assertThat(flows.size()).isZero();
    }

    @Test
    void theEncodingIsTheKernelsLayout(LoadedObject bpf) {
        TypedMap<FlowKey, FlowStats> flows = TypedMap.of(bpf, "flows", FlowKey.class, FlowStats.class);
        flows.put(new FlowKey(0x01020304, (short) 0xfffe, (byte) 6, (byte) 1), FlowStats.of(1, "x"));
        byte[] key = bpf.map("flows").keys().findFirst().orElseThrow();
        ByteBuffer b = ByteBuffer.wrap(key).order(ByteOrder.nativeOrder());
        assertThat(b.getInt(0)).isEqualTo(0x01020304);
        assertThat(Short.toUnsignedInt(b.getShort(4))).isEqualTo(0xfffe);
        assertThat(key[6]).isEqualTo((byte) 6);
        assertThat(key[7]).isEqualTo((byte) 1);
    }

    /** struct flow_key with every unsigned member widened: values read as non-negative, and must fit to be written. */
    @io.junitebpf.event.CStruct("flow_key")
    record WideKey(long addr, int port, int proto, int flags) {
    }

    @Test
    void unsignedMembersWidenAndNarrowOnlyWhenTheValueFits(LoadedObject bpf) {
        TypedMap<FlowKey, FlowStats> exact = TypedMap.of(bpf, "flows", FlowKey.class, FlowStats.class);
        exact.put(new FlowKey(-1, (short) -2, (byte) -3, (byte) 0), FlowStats.of(1, "max"));   // bits kept
        TypedMap<WideKey, FlowStats> wide = TypedMap.of(bpf, "flows", WideKey.class, FlowStats.class);
        assertThat(wide.keys()).containsExactly(new WideKey(0xffff_ffffL, 0xfffe, 0xfd, 0));
        assertThat(wide.get(new WideKey(0xffff_ffffL, 0xfffe, 0xfd, 0))).contains(FlowStats.of(1, "max"));
        assertThatThrownBy(() -> wide.put(new WideKey(1L << 32, 0, 0, 0), FlowStats.of(1, "x")))
                .isInstanceOf(io.junitebpf.event.LayoutException.class)
                .hasMessageContaining("component 'addr' (long)").hasMessageContaining("__u32 at offset 0")
                .hasMessageContaining("value 4294967296 does not fit the C unsigned 4-byte integer");
        assertThatThrownBy(() -> wide.put(new WideKey(0, 65_536, 0, 0), FlowStats.of(1, "x")))
                .hasMessageContaining("component 'port' (int)").hasMessageContaining("__u16 at offset 4");
        assertThatThrownBy(() -> wide.put(new WideKey(0, -1, 0, 0), FlowStats.of(1, "x")))
                .hasMessageContaining("value -1 does not fit the C unsigned 2-byte integer");
        assertThat(exact.size()).isEqualTo(1);
    }

    @Test
    void theProgramReadsWhatJavaWroteAndJavaReadsWhatItWrote(LoadedObject bpf, @Bpf("summarize") Program summarize)
            throws Exception {
        TypedMap.of(bpf, "flows", FlowKey.class, FlowStats.class)
                .fill(Map.of(FlowKey.udp(ADDR, 53), FlowStats.of(4, "dns")));
        TypedGlobal<Flows.Settings> settings = TypedGlobal.of(bpf, "settings", Flows.Settings.class);
        assertThat(settings.get()).isEqualTo(new Flows.Settings(1, "default"));
        settings.set(new Flows.Settings(25, "custom"));

        try (var link = summarize.attach()) {
            new ProcessBuilder("true").start().waitFor();   // an execve runs the program
        }

        FlowStats seen = TypedGlobal.of(bpf, "last_seen", FlowStats.class).get();
        assertThat(seen).isEqualTo(new FlowStats(4, 4 * 25, "dns", new short[4], new Range(0, 0)));
    }

    @Test
    void rodataIsSetBeforeLoadAndFrozenAfter(LoadedObject bpf) {
        TypedGlobal<Integer> scale = TypedGlobal.of(bpf, "scale", Integer.class);
        assertThat(scale.get()).isEqualTo(1);
        assertThatThrownBy(() -> scale.set(2)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("scale");
    }

    @Test
    void scalarValuesAndArrays(LoadedObject bpf) {
        TypedMap<Integer, FlowStats> slots = TypedMap.of(bpf, "slots", Integer.class, FlowStats.class);
        slots.put(2, FlowStats.of(9, "two"));
        assertThat(slots.get(2)).contains(FlowStats.of(9, "two"));
        assertThat(slots.get(0)).contains(new FlowStats(0, 0, "", new short[4], new Range(0, 0)));
        assertThat(slots.size()).isEqualTo(4);   // an array always holds max_entries
        assertThat(slots.keys()).containsExactly(0, 1, 2, 3);
        assertThatThrownBy(() -> slots.put(4, FlowStats.of(1, "past")))
                .isInstanceOf(BpfException.class).hasMessageContaining("slots");
        assertThatThrownBy(() -> slots.put(0, FlowStats.of(1, "x"), UpdateFlag.NOEXIST))
                .isInstanceOf(BpfException.class);
    }

    @Test
    void lruMapsSharedAndPerCpu(LoadedObject bpf) {
        TypedMap<FlowKey, Long> recent = TypedMap.of(bpf, "recent", FlowKey.class, Long.class);
        recent.put(FlowKey.udp(ADDR, 53), 11L);
        assertThat(recent.entries()).containsExactly(Map.entry(FlowKey.udp(ADDR, 53), 11L));

        TypedMap<FlowKey, Range> ranges = TypedMap.of(bpf, "recent_ranges", FlowKey.class, Range.class);
        assertThat(ranges.perCpu()).isTrue();
        ranges.putAllCpus(FlowKey.udp(ADDR, 53), new Range(2, 3));
        assertThat(ranges.entriesPerCpu()).containsOnlyKeys(FlowKey.udp(ADDR, 53));
        assertThat(ranges.getPerCpu(FlowKey.udp(ADDR, 53)).orElseThrow())
                .hasSize(ranges.map().possibleCpus()).containsOnly(new Range(2, 3));
        assertThat(ranges.delete(FlowKey.udp(ADDR, 53))).isTrue();
        assertThat(ranges.size()).isZero();
    }

    @Test
    void perCpuValuesAreListsByCpu(LoadedObject bpf) {
        TypedMap<Integer, Long> counts = TypedMap.of(bpf, "cpu_counts", Integer.class, Long.class);
        int cpus = counts.map().possibleCpus();
        counts.putAllCpus(7, 5L);
        assertThat(counts.getPerCpu(7)).contains(Collections.nCopies(cpus, 5L));
        List<Long> byCpu = new java.util.ArrayList<>(Collections.nCopies(cpus, 0L));
        byCpu.set(cpus - 1, 42L);
        counts.putPerCpu(8, byCpu);
        assertThat(counts.entriesPerCpu()).containsEntry(8, byCpu).hasSize(2);

        TypedMap<Integer, Range> ranges = TypedMap.of(bpf, "cpu_ranges", Integer.class, Range.class);
        ranges.putAllCpus(1, new Range(-1, 1));
        assertThat(ranges.getPerCpu(1).orElseThrow()).hasSize(cpus).containsOnly(new Range(-1, 1));
    }
}
