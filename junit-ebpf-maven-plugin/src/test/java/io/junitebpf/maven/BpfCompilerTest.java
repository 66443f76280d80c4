package io.junitebpf.maven;

import io.junitebpf.btf.Btf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The compiler against the machine's real clang, and against fake ones for the bad cases. */
class BpfCompilerTest {

    static final String PROGRAM = """
            #include "junit_ebpf_core.h"
            #include "junit_ebpf.h"
            #include "event.h"

            JUNIT_EBPF_EVENT(struct hit);
            JUNIT_EBPF_RINGBUF(events, 4096);

            SEC("uprobe")
            int on_call(void *ctx)
            {
            	struct hit *e = JUNIT_EBPF_RESERVE(events, struct hit);
            	if (e) {
            		e->pid = bpf_get_current_pid_tgid() >> 32;
            		JUNIT_EBPF_SET_STR(e->name, "on_call");
            		junit_ebpf_submit(e);
            	}
            	return 0;
            }

            char LICENSE[] SEC("license") = "Dual BSD/GPL";
            """;

    static final String HEADER = "struct hit { __u32 pid; char name[16]; };\n";

    @TempDir
    Path dir;

    Path src() {
        return dir.resolve("src");
    }

    Path out() {
        return dir.resolve("out");
    }

    BpfCompiler compiler(String clang, List<String> flags) {
        return new BpfCompiler(new BpfCompiler.Options(clang, TargetArch.host(),
                ShippedHeaders.extract(dir.resolve("include")), List.of(), List.of("HITS=1"), flags,
                dir.resolve("state")), w -> { });
    }

    void write(String rel, String content) throws IOException {
        Path f = src().resolve(rel);
        Files.createDirectories(f.getParent());
        Files.writeString(f, content);
    }

    @Test
    void compilesToTheSameRelativePathWithTheEventStructInBtf() throws IOException {
        write("net/probe.bpf.c", PROGRAM);
        write("net/event.h", HEADER);

        BpfCompiler.Result result = compiler("clang", List.of("-Wall", "-Werror")).compile(src(), out());

        Path object = out().resolve("net/probe.bpf.o");
        assertThat(result.compiled()).containsExactly(object);
        assertThat(result.clang().major()).isGreaterThanOrEqualTo(Clang.MIN_MAJOR);
        Btf btf = Btf.read(object);
        assertThat(btf.requireStruct("hit").member("name").orElseThrow().cTypeName()).isEqualTo("char[16]");
        assertThat(btf.types()).anyMatch(t -> t.name().startsWith("__junit_ebpf_event_"));
    }

    @Test
    void recompilesOnlyWhenSourceHeaderOrCommandChanged() throws IOException {
        write("probe.bpf.c", PROGRAM);
        write("event.h", HEADER);
        Path object = out().resolve("probe.bpf.o");
        compiler("clang", List.of()).compile(src(), out());
        BpfCompiler.Result again = compiler("clang", List.of()).compile(src(), out());
        assertThat(again.compiled()).isEmpty();
        assertThat(again.clang()).as("a no-op run does not even start clang").isNull();

        Files.setLastModifiedTime(src().resolve("event.h"), FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(compiler("clang", List.of()).compile(src(), out()).compiled())
                .as("an included header is newer than the object").containsExactly(object);
        assertThat(compiler("clang", List.of("-Wall")).compile(src(), out()).compiled())
                .as("the flags changed").containsExactly(object);
        Files.delete(object);
        assertThat(compiler("clang", List.of("-Wall")).compile(src(), out()).compiled()).containsExactly(object);
    }

    @Test
    void compileErrorsAreReportedAsFileLineMessageAndLeaveNoObject() throws IOException {
        write("good.bpf.c", PROGRAM);
        write("event.h", HEADER);
        write("bad.bpf.c", "#include \"junit_ebpf_core.h\"\nint f(void) {\n  return undefined_name;\n}\n");

        assertThatThrownBy(() -> compiler("clang", List.of()).compile(src(), out()))
                .isInstanceOf(BpfBuildException.class)
                .hasMessageStartingWith("compile-bpf: 1 of 2 BPF programs failed to compile")
                .hasMessageContaining(src().resolve("bad.bpf.c") + ":3: error: use of undeclared identifier"
                        + " 'undefined_name'");
        assertThat(out().resolve("bad.bpf.o")).doesNotExist();
        assertThat(out().resolve("good.bpf.o")).exists();
    }

    @Test
    void missingLibbpfHeaderNamesThePackage() throws IOException {
        write("p.bpf.c", "#include <bpf/no_such_header.h>\n");
        assertThatThrownBy(() -> compiler("clang", List.of()).compile(src(), out()))
                .hasMessageContaining("p.bpf.c:1: fatal error: 'bpf/no_such_header.h' file not found")
                .hasMessageContaining("apt-get install libbpf-dev");
    }

    @Test
    void missingClangNamesTheDebianPackage() throws IOException {
        write("p.bpf.c", PROGRAM);
        assertThatThrownBy(() -> compiler("/nonexistent/clang", List.of()).compile(src(), out()))
                .isInstanceOf(BpfBuildException.class)
                .hasMessageStartingWith("compile-bpf: clang not found: cannot run '/nonexistent/clang'")
                .hasMessageContaining("apt-get install clang llvm");
    }

    @Test
    void oldClangIsRefusedWithItsVersion() throws IOException {
        write("p.bpf.c", PROGRAM);
        Path fake = script("clang-9", "echo 'clang version 9.0.1-12 (Debian)'; echo 'Target: x86_64-pc-linux-gnu'");
        assertThatThrownBy(() -> compiler(fake.toString(), List.of()).compile(src(), out()))
                .hasMessageStartingWith("compile-bpf: clang 9.0.1 at '" + fake + "' is too old")
                .hasMessageContaining("needs clang 11 or newer").hasMessageContaining("apt-get install clang");
    }

    @Test
    void somethingElseThanClangIsRefused() throws IOException {
        write("p.bpf.c", PROGRAM);
        Path fake = script("cc", "echo 'gcc (Debian 12.2.0-14) 12.2.0'");
        assertThatThrownBy(() -> compiler(fake.toString(), List.of()).compile(src(), out()))
                .hasMessageContaining("is not clang: its --version printed 'gcc (Debian 12.2.0-14) 12.2.0'");
    }

    @Test
    void missingSourceDirectoryIsNothingToDo() {
        BpfCompiler.Result result = compiler("/nonexistent/clang", List.of()).compile(dir.resolve("none"), out());
        assertThat(result.objects()).isEmpty();
        assertThat(out()).doesNotExist();
    }

    @Test
    void architecturesMapToTheirDefineAndMultiarchDirectory() {
        assertThat(TargetArch.of("amd64")).isEqualTo(new TargetArch("__TARGET_ARCH_x86", "x86_64-linux-gnu"));
        assertThat(TargetArch.of("aarch64")).isEqualTo(new TargetArch("__TARGET_ARCH_arm64", "aarch64-linux-gnu"));
        assertThatThrownBy(() -> TargetArch.of("riscv64")).hasMessageContaining("'riscv64' is not supported");
        assertThatThrownBy(() -> TargetArch.named("x86_64")).hasMessageContaining("use x86 or arm64");
    }

    @Test
    void dependencyRulesKeepEscapedSpaces() {
        assertThat(DependencyFile.inputs("/o/p.bpf.o: /s/p.bpf.c \\\n  /s/my\\ dir/e.h /i/junit_ebpf.h\n"))
                .containsExactly("/s/p.bpf.c", "/s/my dir/e.h", "/i/junit_ebpf.h");
    }

    private Path script(String name, String body) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        return f;
    }
}
