package io.junitebpf.bpf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.junitebpf.btf.Btf;
import io.junitebpf.btf.BtfException;
import io.junitebpf.btf.BtfMember;
import io.junitebpf.btf.BtfStruct;
import io.junitebpf.btf.BtfType;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reads the BTF of the project's own BPF objects (the bpf module) and checks the event structs of
 * {@code events.h}. The BTF reader itself, against bpftool, is tested in junit-ebpf-elf.
 */
class EventStructBtfTest {

    static byte[] resource(String name) throws IOException {
        try (InputStream in = EventStructBtfTest.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as("resource %s on the test classpath (build the bpf module)", name).isNotNull();
            return in.readAllBytes();
        }
    }

    static Btf object(String name) throws IOException {
        return Btf.parse(name, resource("bpf/" + name));
    }

    @Test
    void uprobeEventHasTheLayoutOfEventsH() throws IOException {
        BtfStruct event = object("uprobe.bpf.o").requireStruct("uprobe_event");

        assertThat(event.size()).isEqualTo(96);
        assertThat(event.isUnion()).isFalse();
        assertThat(event.members()).extracting(BtfMember::name).containsExactly("name", "task", "x", "y", "ret");

        BtfMember name = event.member("name").orElseThrow();
        assertThat(name.byteOffset()).isZero();
        assertThat(name.cTypeName()).isEqualTo("char[16]");
        BtfType.Array chars = (BtfType.Array) name.type();
        assertThat(chars.length()).isEqualTo(16);
        assertThat(chars.byteSize()).isEqualTo(16);
        assertThat(chars.element().resolve()).isInstanceOfSatisfying(BtfType.Int.class, c -> {
            assertThat(c.isChar()).isTrue();
            assertThat(c.size()).isEqualTo(1);
        });

        BtfMember task = event.member("task").orElseThrow();
        assertThat(task.byteOffset()).isEqualTo(16);
        assertThat(task.cTypeName()).isEqualTo("struct task_info");
        assertThat(task.type()).isInstanceOfSatisfying(BtfStruct.class, s -> assertThat(s.name()).isEqualTo("task_info"));

        for (String field : new String[] {"x", "y", "ret"}) {
            BtfMember m = event.member(field).orElseThrow();
            assertThat(m.cTypeName()).isEqualTo("__u64");
            assertThat(m.typedefName()).contains("__u64");
            assertThat(m.isBitfield()).isFalse();
            assertThat(m.type()).isInstanceOfSatisfying(BtfType.Int.class, i -> {
                assertThat(i.size()).isEqualTo(8);
                assertThat(i.signed()).isFalse();
                assertThat(i.isChar()).isFalse();
                assertThat(i.cTypeName()).isEqualTo("unsigned long long");
            });
        }
        assertThat(event.member("x").orElseThrow().byteOffset()).isEqualTo(72);
        assertThat(event.member("ret").orElseThrow().bitOffset()).isEqualTo(704);
        assertThat(event.member("ret").orElseThrow()).hasToString("__u64 ret at byte 88");
    }

    @Test
    void taskInfoHasCommonFields() throws IOException {
        BtfStruct task = object("uprobe.bpf.o").requireStruct("task_info");

        assertThat(task.size()).isEqualTo(56);
        assertThat(task.members()).extracting(BtfMember::name, BtfMember::byteOffset, BtfMember::cTypeName).containsExactly(
                tuple("timestamp_ns", 0L, "__u64"),
                tuple("tgid", 8L, "__u32"),
                tuple("ppid", 12L, "__u32"),
                tuple("uid", 16L, "__u32"),
                tuple("comm", 20L, "char[16]"),
                tuple("parent_comm", 36L, "char[16]"));
        assertThat(task.member("tgid").orElseThrow().type()).isInstanceOfSatisfying(BtfType.Int.class, i -> {
            assertThat(i.size()).isEqualTo(4);
            assertThat(i.signed()).isFalse();
        });
    }

    @Test
    void usdtEventArgumentsAreSigned() throws IOException {
        BtfStruct event = object("usdt.bpf.o").requireStruct("usdt_event");

        BtfMember arg1 = event.member("arg1").orElseThrow();
        assertThat(arg1.cTypeName()).isEqualTo("__s64");
        assertThat(arg1.byteOffset()).isEqualTo(72);
        assertThat(arg1.type()).isInstanceOfSatisfying(BtfType.Int.class, i -> {
            assertThat(i.size()).isEqualTo(8);
            assertThat(i.signed()).isTrue();
        });
        BtfMember count = event.member("arg_count").orElseThrow();
        assertThat(count.byteOffset()).isEqualTo(88);
        assertThat(count.type().byteSize()).isEqualTo(4);
        assertThat(event.size()).as("padded to 8").isEqualTo(96);
    }

    @ParameterizedTest
    @ValueSource(strings = {"trace_execve.bpf.o", "probe_execve.bpf.o"})
    void execveEventCarriesTheFilename(String object) throws IOException {
        BtfStruct event = object(object).requireStruct("execve_event");

        assertThat(event.size()).isEqualTo(328);
        BtfMember filename = event.member("filename").orElseThrow();
        assertThat(filename.byteOffset()).isEqualTo(72);
        assertThat(filename.cTypeName()).isEqualTo("char[256]");
        assertThat(((BtfType.Array) filename.type()).length()).isEqualTo(256);
    }

    @Test
    void structNamesListTheEventStructs() throws IOException {
        Btf btf = object("uprobe.bpf.o");

        assertThat(btf.structNames()).contains("uprobe_event", "task_info").doesNotContain("");
        assertThat(btf.struct("uprobe_event")).isPresent();
        assertThat(btf.struct("usdt_event")).isEmpty();
        assertThat(btf.type(0)).containsInstanceOf(BtfType.Void.class);
        assertThat(btf.type(-1)).isEmpty();
        assertThat(btf.type(btf.types().size())).isEmpty();
        assertThat(btf.source()).isEqualTo("uprobe.bpf.o");
    }

    @Test
    void missingStructNamesTheOnesThereAndTheClosest() throws IOException {
        Btf btf = object("uprobe.bpf.o");

        assertThatThrownBy(() -> btf.requireStruct("uprobe_evnt"))
                .isInstanceOf(BtfException.class)
                .hasMessageStartingWith("BTF: no struct 'uprobe_evnt' in uprobe.bpf.o; structs: ")
                .hasMessageContaining("uprobe_event")
                .hasMessageContaining("task_info")
                .hasMessageEndingWith("(did you mean 'uprobe_event'?)");
        assertThatThrownBy(() -> btf.requireStruct("completely_different"))
                .hasMessageEndingWith("(check the struct name; the C type must be used by the BPF program to appear in BTF)");
    }
}
