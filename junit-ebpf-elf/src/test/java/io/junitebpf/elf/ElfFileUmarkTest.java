package io.junitebpf.elf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The reference target, built as PIE and as non-PIE, read and cross-checked with binutils. */
class ElfFileUmarkTest {

    @TempDir
    static Path dir;
    static Path pie;
    static Path noPie;

    @BeforeAll
    static void compile() throws Exception {
        pie = BinUtils.compileUmark(dir, "umark", "-pie", "-fPIE");
        noPie = BinUtils.compileUmark(dir, "umark-nopie", "-no-pie", "-fno-pie");
    }

    private static Path binary(String variant) {
        return variant.equals("pie") ? pie : noPie;
    }

    @Test
    void headerTellsPieFromFixedAddressExecutable() {
        ElfHeader pieHeader = ElfFile.read(pie).header();
        assertThat(pieHeader.elfClass()).isEqualTo(ElfHeader.ElfClass.ELF64);
        assertThat(pieHeader.byteOrder()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
        assertThat(pieHeader.machine()).isEqualTo(ElfHeader.EM_X86_64);
        assertThat(pieHeader.machineName()).isEqualTo("x86-64");
        assertThat(pieHeader.type()).isEqualTo(ElfHeader.Type.DYN);
        assertThat(ElfFile.read(noPie).header().type()).isEqualTo(ElfHeader.Type.EXEC);
    }

    @ParameterizedTest
    @ValueSource(strings = {"pie", "no-pie"})
    void sectionsAndSegmentsMatchReadelf(String variant) throws Exception {
        ElfFile elf = ElfFile.read(binary(variant));
        for (BinUtils.Section expected : BinUtils.sections(binary(variant)).values()) {
            if (expected.name().startsWith(".")) {
                ElfSection actual = elf.section(expected.name()).orElseThrow();
                assertThat(actual.address()).as(expected.name()).isEqualTo(expected.address());
                assertThat(actual.offset()).as(expected.name()).isEqualTo(expected.offset());
                assertThat(actual.size()).as(expected.name()).isEqualTo(expected.size());
            }
        }
        assertThat(elf.segments()).filteredOn(ElfSegment::isLoad)
                .anySatisfy(s -> assertThat(s.isExecutable()).isTrue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"pie", "no-pie"})
    void functionOffsetsMatchNmAndSectionMath(String variant) throws Exception {
        Path file = binary(variant);
        ElfFile elf = ElfFile.read(file);
        for (String function : List.of("func_uprobe1", "func_uprobe2", "main")) {
            long value = BinUtils.nmValue(file, function, false);
            assertThat(elf.fileOffset(function)).as(function)
                    .isEqualTo(BinUtils.expectedOffset(file, value))
                    .isEqualTo(elf.fileOffsetOfAddress(value))
                    .isBetween(1L, Files.size(file) - 1);
        }
        assertThat(elf.functions()).extracting(ElfSymbol::name)
                .contains("func_uprobe1", "func_uprobe2", "main").doesNotHaveDuplicates();
        ElfSymbol symbol = elf.symbol("func_uprobe1").orElseThrow();
        assertThat(symbol.type()).isEqualTo(ElfSymbol.Type.FUNC);
        assertThat(symbol.binding()).isEqualTo(ElfSymbol.Binding.GLOBAL);
        assertThat(symbol.size()).isPositive();
    }

    @Test
    void nonPieOffsetIsNotTheVirtualAddress() throws Exception {
        ElfFile elf = ElfFile.read(noPie);
        long value = elf.symbol("func_uprobe1").orElseThrow().value();
        assertThat(value).isGreaterThanOrEqualTo(0x400000L);
        assertThat(elf.fileOffset("func_uprobe1")).isLessThan(Files.size(noPie));
    }

    @Test
    void missingFunctionNamesSimilarOnes() {
        ElfFile elf = ElfFile.read(pie);
        assertThatThrownBy(() -> elf.fileOffset("func_uprobe3"))
                .isInstanceOf(ElfLookupException.class)
                .hasMessage("symbol 'func_uprobe3' not found in " + pie
                        + "; similar: func_uprobe1, func_uprobe2")
                .satisfies(e -> assertThat(((ElfLookupException) e).candidates())
                        .containsExactly("func_uprobe1", "func_uprobe2"));
        assertThat(elf.symbol("func_uprobe3")).isEmpty();
    }

    @Test
    void importedFunctionIsNotAttachable() {
        ElfFile elf = ElfFile.read(pie);
        // umark calls printf-family functions from libc: present in .dynsym, but undefined here.
        ElfSymbol imported = elf.symbols().stream()
                .filter(s -> !s.isDefined() && s.type() == ElfSymbol.Type.FUNC).findFirst()
                .orElseThrow();
        assertThat(elf.symbol(imported.name())).contains(imported);
        assertThatThrownBy(() -> elf.fileOffset(imported.name()))
                .isInstanceOf(ElfException.class)
                .hasMessageContaining("is undefined in " + pie)
                .hasMessageContaining("attach to the library that defines it");
    }

    @ParameterizedTest
    @ValueSource(strings = {"pie", "no-pie"})
    void usdtNotesMatchReadelfAndLandOnNops(String variant) throws Exception {
        Path file = binary(variant);
        ElfFile elf = ElfFile.read(file);
        List<BinUtils.Note> expected = BinUtils.notes(file);
        assertThat(elf.usdtProbes()).extracting(UsdtProbe::qualifiedName)
                .containsExactly("groupa:probe1", "groupb:probe2");
        byte[] bytes = Files.readAllBytes(file);
        for (int i = 0; i < expected.size(); i++) {
            UsdtProbe probe = elf.usdtProbes().get(i);
            BinUtils.Note note = expected.get(i);
            assertThat(probe.location()).isEqualTo(note.location());
            assertThat(probe.base()).isEqualTo(note.base());
            assertThat(probe.semaphore()).isEqualTo(note.semaphore()).isZero();
            assertThat(probe.hasSemaphore()).isFalse();
            assertThat(probe.semaphoreOffset()).isZero();
            assertThat(probe.argumentSpec()).isEqualTo(note.arguments());
            // <sys/sdt.h> marks each probe site with a single-byte nop.
            assertThat(bytes[(int) probe.locationOffset()]).as(probe.qualifiedName())
                    .isEqualTo((byte) 0x90);
            assertThat(probe.locationOffset())
                    .isEqualTo(BinUtils.expectedOffset(file, note.location()));
        }
    }

    @Test
    void usdtArgumentsParse() {
        ElfFile elf = ElfFile.read(pie);
        List<UsdtArgument> probe1 = elf.usdtProbe("groupa", "probe1").arguments();
        assertThat(probe1).hasSize(1);
        assertThat(probe1.getFirst().kind()).isEqualTo(UsdtArgument.Kind.CONST);
        assertThat(probe1.getFirst().offset()).isEqualTo(10);
        List<UsdtArgument> probe2 = elf.usdtProbe("groupb", "probe2").arguments();
        assertThat(probe2).extracting(UsdtArgument::offset).containsExactly(20L, 30L);
        assertThat(probe2).allSatisfy(a -> assertThat(a.size()).isEqualTo(8));
    }

    @Test
    void missingUsdtProbeListsTheExistingOnes() {
        ElfFile elf = ElfFile.read(pie);
        assertThatThrownBy(() -> elf.usdtProbe("groupa", "probe9"))
                .isInstanceOf(ElfLookupException.class)
                .hasMessage("USDT probe groupa:probe9 not found in " + pie
                        + "; it has: groupa:probe1, groupb:probe2");
    }

    @Test
    void parsingBytesEqualsReadingThePath() throws Exception {
        ElfFile fromPath = ElfFile.read(pie);
        ElfFile fromBytes = ElfFile.parse(Files.readAllBytes(pie), "umark resource");
        assertThat(fromBytes.displayName()).isEqualTo("umark resource");
        assertThat(fromBytes.sections()).isEqualTo(fromPath.sections());
        assertThat(fromBytes.symbols()).isEqualTo(fromPath.symbols());
        assertThat(fromBytes.usdtProbes()).isEqualTo(fromPath.usdtProbes());
        assertThat(fromBytes.toString()).contains("ELF64", "DYN", "x86-64", "2 USDT probes");
    }
}
