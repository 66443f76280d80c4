package io.junitebpf.btf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.junitebpf.elf.BinUtils;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The BTF of a BPF object compiled by clang, against bpftool and against its C source. */
class BtfObjectTest {

    @TempDir
    static Path dir;
    static Path object;

    @BeforeAll
    static void compile() throws Exception {
        object = BinUtils.compileBpfObject(dir);
    }

    @Test
    void everyTypeMatchesBpftool() throws Exception {
        int compared = BpftoolDump.assertMatches(Btf.read(object), BpftoolDump.rawDump(object));

        assertThat(compared).isGreaterThan(20);
    }

    @Test
    void theEventHasTheLayoutOfItsSource() {
        BtfStruct event = Btf.read(object).requireStruct("kinds_event");

        assertThat(event.members()).extracting(BtfMember::name, BtfMember::byteOffset, BtfMember::cTypeName)
                .startsWith(tuple("name", 0L, "char[16]"), tuple("task", 16L, "struct task_info"),
                        tuple("x", 48L, "__u64"), tuple("v", 56L, "union value"));
        BtfMember level = event.member("level").orElseThrow();
        assertThat(level.isBitfield()).isTrue();
        assertThat(level.bitOffset()).isEqualTo(641);
        assertThat(event.member("where").orElseThrow().cTypeName()).isEqualTo("const volatile __u32 *");
        assertThat(Btf.read(object).structNames()).contains("kinds_event", "task_info", "value");
    }
}
