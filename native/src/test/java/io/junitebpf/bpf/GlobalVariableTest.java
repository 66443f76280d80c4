package io.junitebpf.bpf;

import io.junitebpf.btf.BtfKind;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** .rodata set before load, .bss and .data read and written after, names found through BTF. */
class GlobalVariableTest {

    private static final int PID = (int) ProcessHandle.current().pid();

    @Test
    void rodataSetBeforeLoadSelectsThisProcessAndBssCountsIt() {
        try (LoadedObject bpf = MapsFixture.loadAndAttach()) {
            assertThat(bpf.global("target_tgid").getInt()).isEqualTo(PID);
            GlobalVariable hits = bpf.global("hits");
            long before = hits.getLong();
            MapsFixture.getpid(3);
            assertThat(hits.getLong()).isGreaterThanOrEqualTo(before + 3);
            assertThat(bpf.global("last_tid").getInt()).isPositive();
        }
    }

    @Test
    void dataWrittenAfterLoadChangesWhatTheProgramAdds() {
        try (LoadedObject bpf = MapsFixture.loadAndAttach()) {
            bpf.global("step").setLong(1000);
            GlobalVariable hits = bpf.global("hits");
            hits.setLong(0);
            assertThat(hits.getLong()).isZero();
            MapsFixture.getpid(2);
            long counted = hits.getLong();
            assertThat(counted).isGreaterThanOrEqualTo(2000);
            assertThat(counted % 1000).isZero();
        }
    }

    @Test
    void rodataIsFrozenAfterLoad() {
        try (LoadedObject bpf = MapsFixture.loadAndAttach()) {
            GlobalVariable target = bpf.global("target_tgid");
            assertThat(target.writable()).isFalse();
            assertThatThrownBy(() -> target.setInt(1)).isInstanceOf(IllegalStateException.class)
                    .hasMessage("write global 'target_tgid' of " + MapsFixture.RESOURCE + ": .rodata is frozen once"
                            + " the object is loaded (set 'target_tgid' on the BpfObject before load(), or declare it"
                            + " without const)");
            assertThat(bpf.global("rodata_marker").getLong()).isEqualTo(0x1122334455667788L);
        }
    }

    @Test
    void initialValuesAreReadableBeforeLoadAndVariablesDescribeThemselves() {
        try (BpfObject spec = BpfObject.open(MapsFixture.bytes(), MapsFixture.RESOURCE)) {
            assertThat(spec.globals()).extracting(GlobalVariable::name)
                    .containsExactlyInAnyOrder("target_tgid", "rodata_marker", "step", "banner", "hits", "last_tid");
            GlobalVariable marker = spec.global("rodata_marker");
            assertThat(marker.getLong()).isEqualTo(0x1122334455667788L);
            assertThat(marker.section()).isEqualTo(".rodata");
            assertThat(marker.size()).isEqualTo(8);
            assertThat(marker.offset()).isEqualTo(8);
            assertThat(marker.typeName()).isEqualTo("const volatile __u64");
            assertThat(spec.global("step").getLong()).isEqualTo(1);
            assertThat(spec.global("hits").section()).isEqualTo(".bss");
            byte[] banner = spec.global("banner").bytes();
            assertThat(new String(banner, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("maps");
            assertThat(spec.btf().types()).anySatisfy(t -> {
                assertThat(t.kind()).isEqualTo(BtfKind.DATASEC);
                assertThat(t.name()).isEqualTo(".bss");
                assertThat(t.byteSize()).isEqualTo(12); // libbpf's fixed-up size: clang wrote 0
            });

            spec.global("step").setLong(5);
            spec.global("banner").setBytes(Arrays.copyOf("java".getBytes(StandardCharsets.US_ASCII), 8));
            try (LoadedObject bpf = spec.load()) {
                assertThat(bpf.global("step").getLong()).isEqualTo(5);
                assertThat(new String(bpf.global("banner").bytes(), StandardCharsets.US_ASCII)).startsWith("java");
                assertThat(bpf.btf().structNames()).isEmpty();
                assertThatThrownBy(marker::getLong).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("the object has been loaded (use LoadedObject.global(\"rodata_marker\")");
            }
        }
    }

    @Test
    void misuseNamesTheVariablesAndSizes() {
        try (BpfObject spec = BpfObject.open(MapsFixture.bytes(), MapsFixture.RESOURCE)) {
            assertThatThrownBy(() -> spec.global("target_pid")).isInstanceOf(BpfException.class)
                    .hasMessageContaining("find global 'target_pid' in " + MapsFixture.RESOURCE
                            + ": no such global variable (globals: ")
                    .hasMessageContaining("target_tgid").hasMessageContaining("hits");
            assertThatThrownBy(() -> spec.global("step").setInt(1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("setInt global 'step' of " + MapsFixture.RESOURCE + ": setInt handles 4 bytes but"
                            + " 'step' (__u64 in .data) has 8 (use getLong/setLong)");
            assertThatThrownBy(() -> spec.global("target_tgid").getLong())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("use getInt/setInt");
            assertThatThrownBy(() -> spec.global("banner").setBytes(new byte[3]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pass exactly 8 bytes");
            assertThatThrownBy(() -> spec.global("banner").getInt())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'banner' (char[8] in .data)");
            assertThatThrownBy(() -> spec.global("")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> spec.global(null)).isInstanceOf(NullPointerException.class);
        }
    }
}
