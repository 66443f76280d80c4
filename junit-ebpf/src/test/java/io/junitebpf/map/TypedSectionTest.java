package io.junitebpf.map;

import io.junitebpf.bpf.BpfObject;
import io.junitebpf.bpf.LoadedObject;
import io.junitebpf.event.LayoutException;
import io.junitebpf.junit.EbpfTest;
import io.junitebpf.map.Flows.FlowStats;
import io.junitebpf.map.Flows.Range;
import io.junitebpf.map.Flows.Settings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@EbpfTest(objects = "bpf-test/typed_maps.bpf.o")
class TypedSectionTest {

    record Data(Settings settings) {
    }

    record Bss(FlowStats lastSeen) {
    }

    record Rodata(int scale) {
    }

    record WrongData(Settings settings, int step) {
    }

    @Test
    void sectionsReadAndWriteAsRecords(LoadedObject bpf) {
        TypedSection<Data> data = TypedSection.of(bpf, ".data", Data.class);
        assertThat(data.get()).isEqualTo(new Data(new Settings(1, "default")));
        data.set(new Data(new Settings(3, "three")));
        assertThat(TypedGlobal.of(bpf, "settings", Settings.class).get()).isEqualTo(new Settings(3, "three"));

        TypedSection<Bss> bss = TypedSection.of(bpf, ".bss", Bss.class);
        assertThat(bss.get()).isEqualTo(new Bss(new FlowStats(0, 0, "", new short[4], new Range(0, 0))));

        TypedSection<Rodata> rodata = TypedSection.of(bpf, ".rodata", Rodata.class);
        assertThat(rodata.get()).isEqualTo(new Rodata(1));
        assertThatThrownBy(() -> rodata.set(new Rodata(2))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void rodataIsSetBeforeLoad() {
        try (BpfObject spec = BpfObject.openResource("bpf-test/typed_maps.bpf.o")) {
            TypedSection.of(spec, ".rodata", Rodata.class).set(new Rodata(9));
            try (LoadedObject bpf = spec.load()) {
                assertThat(TypedSection.of(bpf, ".rodata", Rodata.class).get()).isEqualTo(new Rodata(9));
            }
        }
    }

    @Test
    void aComponentWithoutAVariableOrAnUnknownSectionIsNamed(LoadedObject bpf) {
        assertThatThrownBy(() -> TypedSection.of(bpf, ".data", WrongData.class))
                .isInstanceOf(LayoutException.class).hasMessageContaining("component 'step'")
                .hasMessageContaining("section .data has no variable 'step' (variables: settings)");
        assertThatThrownBy(() -> TypedSection.of(bpf, ".data.custom", Data.class))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no variables there")
                .hasMessageContaining(".bss").hasMessageContaining(".rodata");
        assertThatThrownBy(() -> TypedSection.of(bpf, ".rodata", Data.class))
                .isInstanceOf(LayoutException.class).hasMessageContaining("variables: scale");
    }
}
