package io.junitebpf.btf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Reads the running kernel's raw BTF, the input CO-RE programs are relocated against. */
class BtfVmlinuxTest {

    private static final Path VMLINUX = Path.of("/sys/kernel/btf/vmlinux");

    private static Btf kernel;

    @BeforeAll
    static void readKernelBtf() {
        assumeTrue(Files.isReadable(VMLINUX), VMLINUX + " is absent: the kernel was built without CONFIG_DEBUG_INFO_BTF");
        kernel = Btf.read(VMLINUX);
    }

    @Test
    void taskStructHasPidTgidAndComm() {
        BtfStruct task = kernel.requireStruct("task_struct");

        BtfMember pid = task.member("pid").orElseThrow();
        assertThat(pid.cTypeName()).isEqualTo("pid_t");
        assertThat(pid.type()).isInstanceOfSatisfying(BtfType.Int.class, i -> {
            assertThat(i.size()).isEqualTo(4);
            assertThat(i.signed()).isTrue();
        });
        BtfMember tgid = task.member("tgid").orElseThrow();
        assertThat(tgid.byteOffset()).isEqualTo(pid.byteOffset() + 4);
        BtfMember comm = task.member("comm").orElseThrow();
        assertThat(comm.cTypeName()).isEqualTo("char[16]");
        assertThat(comm.type().byteSize()).isEqualTo(16);
        assertThat(task.size()).isGreaterThan((int) comm.byteOffset());
    }

    @Test
    void kernelBitfieldsUseTheKindFlag() {
        BtfStruct task = kernel.requireStruct("task_struct");

        assertThat(task.members()).filteredOn(BtfMember::isBitfield).isNotEmpty().allSatisfy(m -> {
            assertThat(m.bitfieldSize()).isBetween(1, 63);
            assertThat(m.byteOffset()).isEqualTo(m.bitOffset() / 8);
        });
    }

    @Test
    void listHeadIsTwoPointersToItself() {
        BtfStruct head = kernel.requireStruct("list_head");

        assertThat(head.size()).isEqualTo(16);
        assertThat(head.members()).extracting(BtfMember::name, BtfMember::byteOffset, BtfMember::cTypeName)
                .containsExactly(
                        tuple("next", 0L, "struct list_head *"),
                        tuple("prev", 8L, "struct list_head *"));
    }

    @Test
    void missingStructInALargeObjectNamesTheClosest() {
        assertThatThrownBy(() -> kernel.requireStruct("task_strct"))
                .isInstanceOf(BtfException.class)
                .hasMessageStartingWith("BTF: no struct 'task_strct' in /sys/kernel/btf/vmlinux; ")
                .hasMessageContaining(" structs, closest: task_struct")
                .hasMessageEndingWith("(did you mean 'task_struct'?)");
    }

    @Test
    void everyTypeMatchesBpftool() throws Exception {
        int compared = BpftoolDump.assertMatches(kernel, BpftoolDump.rawDump(VMLINUX));

        assertThat(compared).isEqualTo(kernel.types().size() - 1).isGreaterThan(10_000);
    }
}
