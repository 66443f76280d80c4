package io.junitebpf.elf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The relocations of a BPF object, as {@code readelf -r} reads them, and corrupt ones refused. */
class ElfRelocationsTest {

    private static final Pattern SECTION = Pattern.compile("^Relocation section '([^']+)'");
    private static final Pattern ENTRY = Pattern.compile("^([0-9a-f]{16})\\s+([0-9a-f]{16})\\s");

    @TempDir
    static Path dir;
    static Path object;

    @BeforeAll
    static void compile() throws Exception {
        object = BinUtils.compileBpfObject(dir);
    }

    @Test
    void everyRelocationMatchesReadelf() throws Exception {
        List<String> expected = new ArrayList<>();
        String section = null;
        for (String line : BinUtils.run("readelf", "-rW", object.toString()).lines().toList()) {
            Matcher s = SECTION.matcher(line);
            Matcher e = ENTRY.matcher(line);
            if (s.find()) {
                section = s.group(1);
            } else if (e.find()) {
                long info = Long.parseUnsignedLong(e.group(2), 16);
                expected.add(section + " " + Long.parseUnsignedLong(e.group(1), 16) + " " + (info >>> 32)
                        + " " + (info & 0xffffffffL));
            }
        }
        ElfFile elf = ElfFile.read(object);

        List<String> actual = elf.relocations().stream().map(r -> elf.sections().get(r.section()).name() + " "
                + r.offset() + " " + r.symbolIndex() + " " + r.type()).toList();

        assertThat(expected).hasSizeGreaterThan(10);
        assertThat(actual).isEqualTo(expected);
        ElfRelocation first = elf.relocations().getFirst();
        assertThat(elf.sections().get(first.section()).name()).isEqualTo(".relxdp");
        assertThat(elf.sections().get(first.targetSection()).name()).isEqualTo("xdp");
        assertThat(first.addend()).isZero();
    }

    @Test
    void executablesAndLibrariesCarryNoDecodedRelocations() throws Exception {
        Path umark = BinUtils.compileUmark(dir, "umark");

        assertThat(ElfFile.read(umark).relocations()).isEmpty();
    }

    @Test
    void aRelocationNamingAMissingSymbolIsRefused() throws Exception {
        byte[] bytes = Files.readAllBytes(object);
        ElfFile elf = ElfFile.parse(bytes, "kinds.bpf.o");
        ElfSection rel = elf.section(".relxdp").orElseThrow();
        // r_info of the first entry: symbol 9999 in the upper half
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong((int) rel.offset() + 8, (9999L << 32) | 1);

        assertThatThrownBy(() -> ElfFile.parse(bytes, "bad.bpf.o"))
                .isInstanceOf(ElfException.class)
                .hasMessageStartingWith("ELF file bad.bpf.o: malformed: relocation 0 of .relxdp names symbol 9999,"
                        + " but .symtab has ")
                .hasMessageEndingWith("(is the file corrupt?)");
    }

    @Test
    void aRelocationOutsideItsSectionIsRefused() throws Exception {
        byte[] bytes = Files.readAllBytes(object);
        ElfFile elf = ElfFile.parse(bytes, "kinds.bpf.o");
        ElfSection rel = elf.section(".relxdp").orElseThrow();
        long textSize = elf.section("xdp").orElseThrow().size();
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong((int) rel.offset(), textSize);

        assertThatThrownBy(() -> ElfFile.parse(bytes, "bad.bpf.o"))
                .isInstanceOf(ElfException.class)
                .hasMessage("ELF file bad.bpf.o: malformed: relocation 0 of .relxdp patches offset " + textSize
                        + " of xdp, which has " + textSize + " bytes (is the file corrupt?)");
    }

    @Test
    void aRelocationSectionWithAWrongTargetIsRefused() throws Exception {
        byte[] bytes = Files.readAllBytes(object);
        ElfFile elf = ElfFile.parse(bytes, "kinds.bpf.o");
        ElfSection rel = elf.section(".relxdp").orElseThrow();
        // sh_info of the relocation section's header
        long shoff = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0x28);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt((int) (shoff + rel.index() * 64L + 44), 500);

        assertThatThrownBy(() -> ElfFile.parse(bytes, "bad.bpf.o"))
                .isInstanceOf(ElfException.class)
                .hasMessage("ELF file bad.bpf.o: malformed: relocation section .relxdp patches section 500, but there are "
                        + elf.sections().size() + " sections (is the file corrupt?)");
    }
}
