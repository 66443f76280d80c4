package io.junitebpf.maven;

import io.junitebpf.btf.Btf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Records generated from real clang output, compiled by javac. */
class RecordGeneratorTest {

    static final String TYPES = """
            #include "junit_ebpf_core.h"
            #include "junit_ebpf.h"

            enum colour { RED, GREEN };
            struct point { __s32 x; __s32 y; };
            struct all_kinds {
            	__s8 s8; __u8 u8; __s16 s16; __u16 u16; __s32 s32; __u32 u32; __s64 s64; __u64 u64;
            	bool flag;
            	char comm[16];
            	char names[2][8];
            	__u8 raw[4];
            	__u32 counts[3];
            	struct point corners[2];
            	struct point origin;
            	struct { __u32 inner; } anon_typed;
            	enum colour colour;
            	void *ptr;
            	union { __u32 a; __u64 b; } either;
            	__u32 bits : 3;
            	__u32 rest : 29;
            	__u64 class;
            };
            struct key { __u32 pid; };
            struct value { __u64 count; };
            JUNIT_EBPF_EVENT(struct all_kinds);
            struct {
            	__uint(type, BPF_MAP_TYPE_HASH);
            	__uint(max_entries, 8);
            	__type(key, struct key);
            	__type(value, struct value);
            } counts SEC(".maps");
            char LICENSE[] SEC("license") = "Dual BSD/GPL";
            """;

    @TempDir
    Path dir;

    Btf compile(String program) throws IOException {
        Path src = dir.resolve("src");
        Files.createDirectories(src);
        Files.writeString(src.resolve("types.bpf.c"), program);
        BpfCompiler compiler = new BpfCompiler(new BpfCompiler.Options("clang", TargetArch.host(),
                ShippedHeaders.extract(dir.resolve("include")), List.of(), List.of(), List.of(),
                dir.resolve("state")), w -> { });
        return Btf.read(compiler.compile(src, dir.resolve("out")).objects().getFirst());
    }

    @Test
    void everyMappableKindGetsTheNarrowestLosslessJavaType() throws IOException {
        RecordGenerator.Generated g = RecordGenerator.generate("com.example.bpf", "types.bpf.o", compile(TYPES));

        assertThat(g.className()).isEqualTo("TypesBpf");
        assertThat(g.records()).containsExactlyInAnyOrder("AllKinds", "Key", "Value", "Point", "AnonTyped");
        String src = g.source();
        assertThat(src).contains("public static final String OBJECT = \"types.bpf.o\";")
                .contains("@io.junitebpf.event.CStruct(\"all_kinds\")\n    public record AllKinds(")
                .contains("byte s8,", "short u8,", "short s16,", "int u16,", "int s32,", "long u32,", "long s64,",
                        "long u64,", "boolean flag,", "String comm,", "String[] names,", "byte[] raw,",
                        "long[] counts,", "Point[] corners,", "Point origin,", "AnonTyped anonTyped,",
                        "int colour,", "long ptr,", "@io.junitebpf.event.CMember(\"class\") long class_)")
                .contains("@param u64 {@code __u64 u64} at byte 24, 8 bytes, unsigned (the same bits")
                .contains("Not decoded: {@code union (anon) either at byte 128}", "unions are not decoded",
                        "bits at bit", "bitfields are not decoded")
                .doesNotContain("@io.junitebpf.event.CStruct(\"\")");
        assertThat(javac(src)).isEmpty();
    }

    @Test
    void eventMacroOnANonStructIsRefused() throws IOException {
        Btf btf = compile("#include \"junit_ebpf_core.h\"\n#include \"junit_ebpf.h\"\nJUNIT_EBPF_EVENT(__u64);\n");
        assertThatThrownBy(() -> RecordGenerator.generate("p", "x.bpf.o", btf))
                .isInstanceOf(BpfBuildException.class)
                .hasMessage("generate-records: JUNIT_EBPF_EVENT in x.bpf.o names unsigned long long, not a struct"
                        + " (JUNIT_EBPF_EVENT takes a struct type: JUNIT_EBPF_EVENT(struct my_event))");
    }

    @Test
    void aStructWithNothingJavaCanDecodeIsRefused() throws IOException {
        Btf btf = compile("#include \"junit_ebpf_core.h\"\n#include \"junit_ebpf.h\"\n"
                + "struct flags { __u32 a : 1; __u32 b : 31; };\nJUNIT_EBPF_EVENT(struct flags);\n");
        assertThatThrownBy(() -> RecordGenerator.generate("p", "x.bpf.o", btf))
                .hasMessageStartingWith("generate-records: struct flags of x.bpf.o has no member a Java record can"
                        + " decode (__u32 a at bit 0 (1 bits): bitfields are not decoded");
    }

    @Test
    void generatesOneClassPerObjectRewritesOnlyChangesAndDropsGoneObjects() throws IOException {
        Btf btf = compile(TYPES);
        Path objects = dir.resolve("out");
        Path gen = dir.resolve("gen");
        Path nested = objects.resolve("net/types.bpf.o");
        Files.createDirectories(nested.getParent());
        Files.copy(objects.resolve("types.bpf.o"), nested);

        assertThatThrownBy(() -> GenerateRecordsMojo.generate(List.of(objects), java.util.Map.of(), "com.example", gen))
                .hasMessage("generate-records: net/types.bpf.o and types.bpf.o both give class com.example.TypesBpf"
                        + " (rename one of the sources)");
        Files.delete(objects.resolve("types.bpf.o"));
        assertThat(GenerateRecordsMojo.generate(List.of(objects), java.util.Map.of(), "com.example", gen)).isEqualTo(1);
        Path file = gen.resolve("com/example/TypesBpf.java");
        assertThat(Files.readString(file)).contains("OBJECT = \"net/types.bpf.o\"");
        assertThat(GenerateRecordsMojo.generate(List.of(objects), java.util.Map.of(), "com.example", gen)).isZero();
        Files.delete(nested);
        assertThat(GenerateRecordsMojo.generate(List.of(objects, dir.resolve("missing")), java.util.Map.of(), "com.example", gen)).isZero();
        assertThat(file).doesNotExist();
        assertThat(btf.structNames()).contains("all_kinds");
    }

    @Test
    void classpathObjectsAreReadFromDirectoriesAndJarsAndAMissingOneIsNamed() throws IOException {
        Path classes = dir.resolve("classes-dir");
        Files.createDirectories(classes.resolve("bpf"));
        Files.writeString(classes.resolve("bpf/a.bpf.o"), "A");
        Path jar = dir.resolve("dep.jar");
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new java.util.zip.ZipEntry("bpf/b.bpf.o"));
            out.write('B');
        }
        List<String> classpath = List.of(dir.resolve("nothing").toString(), classes.toString(), jar.toString());
        assertThat(ClasspathObjects.read("bpf/a.bpf.o", classpath)).containsExactly('A');
        assertThat(ClasspathObjects.read("bpf/b.bpf.o", classpath)).containsExactly('B');
        assertThatThrownBy(() -> ClasspathObjects.read("bpf/c.bpf.o", classpath))
                .hasMessageStartingWith("generate-records: classpathObjects entry 'bpf/c.bpf.o' is on no element of"
                        + " the test class path [");
    }

    @Test
    void namesFollowJavaConventionsAndRoundTripToC() {
        assertThat(JavaNames.type("uprobe_event")).isEqualTo("UprobeEvent");
        assertThat(RecordGenerator.className("bpf/tc-drop.bpf.o")).isEqualTo("TcDropBpf");
        assertThat(JavaNames.component("parent_comm")).isEqualTo("parentComm");
        assertThat(io.junitebpf.btf.CNames.snakeCase("parentComm")).isEqualTo("parent_comm");
        assertThat(JavaNames.component("int")).isEqualTo("int_");
        assertThat(JavaNames.component("2nd")).isEqualTo("m2nd");
        assertThat(JavaNames.packageName("com.example-corp.int")).isEqualTo("com.example_corp._int");
    }

    /** javac's diagnostics for the generated source, with stand-ins for junit-ebpf's two annotations. */
    private String javac(String generated) throws IOException {
        Path src = dir.resolve("javac");
        Files.createDirectories(src.resolve("io/junitebpf/event"));
        Files.createDirectories(src.resolve("com/example/bpf"));
        Files.writeString(src.resolve("io/junitebpf/event/CStruct.java"),
                "package io.junitebpf.event; public @interface CStruct { String value(); }");
        Files.writeString(src.resolve("io/junitebpf/event/CMember.java"),
                "package io.junitebpf.event; public @interface CMember { String value(); }");
        Files.writeString(src.resolve("com/example/bpf/TypesBpf.java"), generated);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        javac.run(null, null, err, "-d", dir.resolve("classes").toString(),
                src.resolve("io/junitebpf/event/CStruct.java").toString(),
                src.resolve("io/junitebpf/event/CMember.java").toString(),
                src.resolve("com/example/bpf/TypesBpf.java").toString());
        return err.toString();
    }
}
