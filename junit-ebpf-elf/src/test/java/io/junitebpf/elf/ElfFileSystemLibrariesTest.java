package io.junitebpf.elf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Real shared libraries and executables of the build machine: libjvm.so (hundreds of hotspot
 * USDT probes), python3.11 (probes with semaphores) and libc (a stripped library: .dynsym only).
 */
class ElfFileSystemLibrariesTest {

    private static final Path LIBJVM =
            Path.of(System.getProperty("java.home"), "lib", "server", "libjvm.so");
    private static final Path PYTHON = Path.of("/usr/bin/python3.11");

    @Test
    void libjvmProbesMatchReadelfAndAllArgumentsParse() throws Exception {
        assumeThat(LIBJVM).exists();
        ElfFile jvm = ElfFile.read(LIBJVM);
        assertThat(jvm.header().type()).isEqualTo(ElfHeader.Type.DYN);
        List<BinUtils.Note> expected = BinUtils.notes(LIBJVM);
        assertThat(jvm.usdtProbes()).hasSize(expected.size()).hasSizeGreaterThan(100);
        for (int i = 0; i < expected.size(); i++) {
            UsdtProbe probe = jvm.usdtProbes().get(i);
            BinUtils.Note note = expected.get(i);
            assertThat(probe.qualifiedName()).isEqualTo(note.provider() + ":" + note.name());
            assertThat(probe.location()).isEqualTo(note.location());
            assertThat(probe.semaphore()).isEqualTo(note.semaphore());
            assertThat(probe.argumentSpec()).isEqualTo(note.arguments());
            assertThat(probe.arguments()).as(probe.argumentSpec())
                    .hasSize(note.arguments().isEmpty() ? 0
                            : note.arguments().split(" ").length);
        }
        UsdtProbe loaded = jvm.usdtProbe("hotspot", "class__loaded");
        assertThat(loaded.locationOffset()).isPositive().isLessThan(Files.size(LIBJVM));
    }

    @Test
    void libjvmMissingProbeSuggestsSimilarOnes() {
        assumeThat(LIBJVM).exists();
        ElfFile jvm = ElfFile.read(LIBJVM);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> jvm.usdtProbe("hotspot", "class__loadd"))
                .isInstanceOf(ElfLookupException.class)
                .hasMessageContaining("probes, similar: hotspot:class__loaded");
    }

    @Test
    void libjvmFunctionOffsetMatchesNm() throws Exception {
        assumeThat(LIBJVM).exists();
        ElfFile jvm = ElfFile.read(LIBJVM);
        long value = BinUtils.nmValue(LIBJVM, "JNI_CreateJavaVM", true);
        assertThat(jvm.fileOffset("JNI_CreateJavaVM"))
                .isEqualTo(BinUtils.expectedOffset(LIBJVM, value));
    }

    @Test
    void pythonSemaphoresLandInProbesSectionOfTheFile() throws Exception {
        assumeThat(PYTHON).exists();
        ElfFile python = ElfFile.read(PYTHON);
        List<UsdtProbe> guarded = python.usdtProbes().stream().filter(UsdtProbe::hasSemaphore)
                .toList();
        assumeThat(guarded).as("python built with --with-dtrace").isNotEmpty();
        ElfSection probes = python.section(".probes").orElseThrow();
        byte[] bytes = Files.readAllBytes(PYTHON);
        for (UsdtProbe probe : guarded) {
            assertThat(probe.semaphoreOffset()).as(probe.qualifiedName()).isPositive()
                    .isBetween(probes.offset(), probes.offset() + probes.size() - 2)
                    .isEqualTo(BinUtils.expectedOffset(PYTHON, probe.semaphore()));
            // A semaphore is an unsigned short counter that starts at zero.
            assertThat(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN)
                    .getShort((int) probe.semaphoreOffset())).isZero();
            assertThat(bytes[(int) probe.locationOffset()]).isEqualTo((byte) 0x90);
        }
    }

    @Test
    void libcMallocHasAnOffset() throws Exception {
        Path libc = libc();
        ElfFile elf = ElfFile.read(libc);
        long offset = elf.fileOffset("malloc");
        assertThat(offset).isPositive().isLessThan(Files.size(libc));
        assertThat(offset).isEqualTo(BinUtils.expectedOffset(libc,
                BinUtils.nmValue(libc, "malloc", true)));
        assertThat(elf.symbol("malloc").orElseThrow().isFunction()).isTrue();
    }

    @Test
    void libcIndirectFunctionsResolveToTheirResolver() throws Exception {
        ElfFile elf = ElfFile.read(libc());
        ElfSymbol ifunc = elf.functions().stream()
                .filter(s -> s.type() == ElfSymbol.Type.GNU_IFUNC).findFirst().orElse(null);
        assumeThat(ifunc).as("an STT_GNU_IFUNC symbol in libc").isNotNull();
        assertThat(elf.fileOffset(ifunc.baseName())).isPositive();
    }

    @Test
    void unversionedNamePicksTheDefaultVersion() throws Exception {
        Path libc = libc();
        ElfFile elf = ElfFile.read(libc);
        assumeThat(elf.symbols()).extracting(ElfSymbol::name)
                .contains("memcpy@GLIBC_2.2.5", "memcpy@@GLIBC_2.14");
        assertThat(elf.fileOffset("memcpy")).isEqualTo(elf.fileOffset("memcpy@@GLIBC_2.14"))
                .isEqualTo(BinUtils.expectedOffset(libc,
                        BinUtils.nmValue(libc, "memcpy@@GLIBC_2.14", true)))
                .isNotEqualTo(elf.fileOffset("memcpy@GLIBC_2.2.5"));
        assertThat(elf.symbol("memcpy").orElseThrow().type()).isEqualTo(ElfSymbol.Type.GNU_IFUNC);
    }

    /** The libc this JVM runs on, as the dynamic loader mapped it. */
    private static Path libc() throws Exception {
        try (Stream<String> maps = Files.lines(Path.of("/proc/self/maps"))) {
            Path mapped = maps.map(line -> line.split("\\s+"))
                    .filter(f -> f.length >= 6 && f[5].matches(".*/libc\\.so\\.6|.*/libc-.*\\.so"))
                    .map(f -> Path.of(f[5])).findFirst().orElse(null);
            if (mapped != null) {
                return mapped;
            }
        }
        Path fallback = Path.of("/lib/x86_64-linux-gnu/libc.so.6");
        assumeThat(fallback).exists();
        return fallback;
    }
}
