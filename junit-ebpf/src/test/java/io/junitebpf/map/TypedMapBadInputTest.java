package io.junitebpf.map;

import io.junitebpf.bpf.BpfObject;
import io.junitebpf.bpf.LoadedObject;
import io.junitebpf.event.CStruct;
import io.junitebpf.event.LayoutException;
import io.junitebpf.junit.EbpfTest;
import io.junitebpf.map.Flows.FlowKey;
import io.junitebpf.map.Flows.FlowStats;
import io.junitebpf.map.Flows.Range;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.junitebpf.map.Flows.ADDR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every wrong input to TypedMap and TypedGlobal: a clear error, before any kernel call where it can be. */
@EbpfTest(objects = "bpf-test/typed_maps.bpf.o")
class TypedMapBadInputTest {

    /** packets is __u64 in C: a short cannot hold it. */
    @CStruct("flow_stats")
    record NarrowStats(short packets) {
    }

    @CStruct("flow_stats")
    record MisnamedStats(long count) {
    }

    record WrongLabel(long packets, int label) {
    }

    @Test
    void anUnknownMapListsTheMapsTheObjectHas(LoadedObject bpf) {
        assertThatThrownBy(() -> TypedMap.of(bpf, "flow", FlowKey.class, FlowStats.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("map 'flow'").hasMessageContaining("no such map")
                .satisfies(e -> assertThat(e.getMessage()).contains("flows", "slots", "cpu_counts", "untyped"));
    }

    @Test
    void aRecordNarrowerThanTheStructNamesMapMemberCTypeAndOffset(LoadedObject bpf) {
        assertThatThrownBy(() -> TypedMap.of(bpf, "flows", FlowKey.class, NarrowStats.class))
                .isInstanceOf(LayoutException.class)
                .hasMessageContaining("map 'flows' value").hasMessageContaining("component 'packets' (short)")
                .hasMessageContaining("struct flow_stats member 'packets' (__u64 at offset 0)")
                .hasMessageContaining("narrower");
        assertThatThrownBy(() -> TypedMap.of(bpf, "flows", FlowKey.class, WrongLabel.class))
                .isInstanceOf(LayoutException.class)
                .hasMessageContaining("component 'label' (int)")
                .hasMessageContaining("char[16] at offset 16").hasMessageContaining("decodes into a Java array");
    }

    @Test
    void aComponentTheStructLacksListsTheMembers(LoadedObject bpf) {
        assertThatThrownBy(() -> TypedMap.of(bpf, "flows", FlowKey.class, MisnamedStats.class))
                .isInstanceOf(LayoutException.class)
                .hasMessageContaining("map 'flows' value").hasMessageContaining("'count'")
                .hasMessageContaining("packets, bytes, label, hist, range");
    }

    @Test
    void aScalarForAStructOrARecordForAScalarSaysWhatFits(LoadedObject bpf) {
        assertThatThrownBy(() -> TypedMap.of(bpf, "flows", Long.class, FlowStats.class))
                .isInstanceOf(LayoutException.class)
                .hasMessageContaining("map 'flows' key").hasMessageContaining("struct flow_key")
                .hasMessageContaining("addr, port, proto, flags");
        assertThatThrownBy(() -> TypedMap.of(bpf, "slots", FlowKey.class, FlowStats.class))
                .isInstanceOf(LayoutException.class)
                .hasMessageContaining("map 'slots' key").hasMessageContaining("needs a struct")
                .hasMessageContaining("__u32").hasMessageContaining("use Integer");
        assertThatThrownBy(() -> TypedMap.of(bpf, "slots", Short.class, FlowStats.class))
                .isInstanceOf(LayoutException.class).hasMessageContaining("narrower");
    }

    @Test
    void aMapWithoutBtfTypesIsRefusedWithTheFix(LoadedObject bpf) {
        assertThatThrownBy(() -> TypedMap.of(bpf, "untyped", Integer.class, Long.class))
                .isInstanceOf(LayoutException.class)
                .hasMessageContaining("map 'untyped'").hasMessageContaining("no BTF key type")
                .hasMessageContaining("__type(key, ...)");
    }

    @Test
    void aPerCpuMapReadAsSharedAndTheOtherWayRoundNameTheRightMethod(LoadedObject bpf) {
        TypedMap<Integer, Long> counts = TypedMap.of(bpf, "cpu_counts", Integer.class, Long.class);
        assertThatThrownBy(() -> counts.get(1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("map 'cpu_counts'").hasMessageContaining("per-CPU")
                .hasMessageContaining("getPerCpu");
        assertThatThrownBy(() -> counts.put(1, 1L)).hasMessageContaining("putPerCpu or putAllCpus");
        assertThatThrownBy(counts::entries).hasMessageContaining("entriesPerCpu");
        assertThatThrownBy(() -> counts.putPerCpu(1, List.of(1L)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("possible CPUs");

        TypedMap<Integer, FlowStats> slots = TypedMap.of(bpf, "slots", Integer.class, FlowStats.class);
        assertThatThrownBy(() -> slots.getPerCpu(1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not per-CPU").hasMessageContaining("use get");
    }

    @Test
    void valuesThatDoNotFitTheirMemberAreRefusedBeforeTheKernelSeesThem(LoadedObject bpf) {
        TypedMap<FlowKey, FlowStats> flows = TypedMap.of(bpf, "flows", FlowKey.class, FlowStats.class);
        FlowKey key = FlowKey.udp(ADDR, 53);
        assertThatThrownBy(() -> flows.put(key, FlowStats.of(1, "a label longer than 16 bytes")))
                .isInstanceOf(LayoutException.class).hasMessageContaining("'label'")
                .hasMessageContaining("longer than char[16]");
        assertThatThrownBy(() -> flows.put(key, new FlowStats(1, 0, "", new short[3], new Range(0, 0))))
                .isInstanceOf(LayoutException.class).hasMessageContaining("'hist'")
                .hasMessageContaining("3 elements, the C array has 4");
        assertThatThrownBy(() -> flows.put(key, new FlowStats(1, 0, null, new short[4], new Range(0, 0))))
                .isInstanceOf(LayoutException.class).hasMessageContaining("'label' is null");
        TypedMap<Long, FlowStats> wide = TypedMap.of(bpf, "slots", Long.class, FlowStats.class);
        assertThatThrownBy(() -> wide.get(-1L)).isInstanceOf(LayoutException.class)
                .hasMessageContaining("value -1 does not fit the C unsigned 4-byte integer");
        assertThat(flows.size()).isZero();
    }

    @Test
    void globalsCheckTheirTypeAndName(LoadedObject bpf) {
        assertThatThrownBy(() -> TypedGlobal.of(bpf, "settings", FlowStats.class))
                .isInstanceOf(LayoutException.class)
                .hasMessageContaining("global 'settings' (.data)").hasMessageContaining("struct settings");
        assertThatThrownBy(() -> TypedGlobal.of(bpf, "scale", Short.class))
                .isInstanceOf(LayoutException.class).hasMessageContaining("global 'scale' (.rodata)")
                .hasMessageContaining("narrower");
        assertThatThrownBy(() -> TypedGlobal.of(bpf, "no_such_global", Integer.class))
                .hasMessageContaining("no such global variable").hasMessageContaining("last_seen");
    }

    @Test
    void rodataIsWritableBeforeLoad() {
        try (BpfObject spec = BpfObject.openResource("bpf-test/typed_maps.bpf.o")) {
            TypedGlobal.of(spec, "scale", Integer.class).set(7);
            try (LoadedObject bpf = spec.load()) {
                assertThat(TypedGlobal.of(bpf, "scale", Integer.class).get()).isEqualTo(7);
            }
        }
    }
}
