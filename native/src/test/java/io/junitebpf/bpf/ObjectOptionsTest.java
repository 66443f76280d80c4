package io.junitebpf.bpf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Open options reaching libbpf: the object name, a custom kernel BTF for
 * CO-RE, the verifier log level, and opening the same object from a file.
 * attach.bpf.o reads task_struct with CO-RE, so its load needs kernel BTF.
 */
class ObjectOptionsTest {

    private static final Path VMLINUX = Path.of("/sys/kernel/btf/vmlinux");

    @Test
    void objectNameNamesTheObjectAndItsInternalMaps() {
        try (BpfObject spec = open(ObjectOptions.DEFAULTS.withObjectName("custom"))) {
            assertThat(spec.name()).isEqualTo("custom");
            assertThat(spec.mapNames()).contains("custom.bss", "custom.rodata");
            try (LoadedObject bpf = spec.load()) {
                assertThat(bpf.name()).isEqualTo("custom");
                assertThat(bpf.mapNames()).contains("custom.bss");
            }
        }
    }

    @Test
    void defaultNameComesFromTheResource() {
        try (BpfObject spec = BpfObject.open(AttachFixture.bytes(), AttachFixture.RESOURCE)) {
            assertThat(spec.name()).isEqualTo("attach");
        }
    }

    @Test
    void kernelBtfGivenExplicitlyIsUsedForCoRe() {
        try (BpfObject spec = open(ObjectOptions.DEFAULTS.withBtfCustomPath(VMLINUX))) {
            spec.global("target_tgid").setInt(AttachFixture.PID);
            try (LoadedObject bpf = spec.load()) {
                MapsFixture.mountTracefs();
                bpf.program("on_tp").attachTracepoint("syscalls", "sys_enter_getppid");
                int parent = AttachFixture.getppid(1);
                assertThat(bpf.global("tp_parent_tgid").getInt()).isEqualTo(parent);
            }
        }
    }

    /** A missing custom BTF file is named at open (libbpf would only fail the load with a bare ENOENT). */
    @Test
    void missingCustomBtfIsNamedAtOpen(@TempDir Path dir) {
        Path missing = dir.resolve("no-such-vmlinux");
        assertThatThrownBy(() -> open(ObjectOptions.DEFAULTS.withBtfCustomPath(missing)))
                .isInstanceOf(BpfException.class)
                .hasMessageContaining("custom BTF " + missing + ": no such file");
    }

    @Test
    void kernelLogLevelOneStillLoads() {
        try (BpfObject spec = open(ObjectOptions.DEFAULTS.withKernelLogLevel(1));
             LoadedObject bpf = spec.load()) {
            assertThat(bpf.program("on_tp").loaded()).isTrue();
        }
    }

    @Test
    void openFileGivesTheSameObjectAsOpenFromMemory(@TempDir Path dir) throws IOException {
        Path file = Files.write(dir.resolve("attach.bpf.o"), AttachFixture.bytes());
        try (BpfObject fromMemory = BpfObject.open(AttachFixture.bytes(), AttachFixture.RESOURCE);
             BpfObject fromFile = BpfObject.openFile(file)) {
            assertThat(fromFile.name()).isEqualTo(fromMemory.name());
            assertThat(fromFile.programs()).extracting(ProgramSpec::name)
                    .containsExactlyElementsOf(fromMemory.programs().stream().map(ProgramSpec::name).toList())
                    .contains("on_uprobe", "on_usdt", "on_raw_tp", "on_tp", "on_kprobe", "on_ksyscall");
            assertThat(fromFile.programs()).extracting(ProgramSpec::section)
                    .containsExactlyElementsOf(fromMemory.programs().stream().map(ProgramSpec::section).toList());
            assertThat(fromFile.mapNames()).containsExactlyElementsOf(fromMemory.mapNames())
                    .contains("uprobe_by_tgid", "attach.bss", "attach.rodata");
            try (LoadedObject bpf = fromFile.load()) {
                assertThat(bpf.programs()).allSatisfy(p -> assertThat(p.loaded()).isTrue());
            }
        }
    }

    @Test
    void invalidOptionsAreRefused() {
        assertThatThrownBy(() -> ObjectOptions.DEFAULTS.withObjectName(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("object options: blank object name");
        assertThatThrownBy(() -> ObjectOptions.DEFAULTS.withKernelLogLevel(3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("object options: kernel log level 3 is out of range (0, 1 or 2, each optionally | LOG_STATS)");
        assertThatThrownBy(() -> ObjectOptions.DEFAULTS.withKernelLogLevel(-1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ObjectOptions.DEFAULTS.withBtfCustomPath(null))
                .isInstanceOf(NullPointerException.class);
    }

    private static BpfObject open(ObjectOptions options) {
        return BpfObject.open(Libbpf.system(), AttachFixture.bytes(), options, AttachFixture.RESOURCE);
    }
}
