package io.junitebpf.elf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * ELF32 and big-endian files: relocatable objects cross-compiled with clang, which needs no
 * target libc for a freestanding function.
 */
class ElfFileOtherLayoutsTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({
        "x86_64-linux-gnu, ELF64, LITTLE_ENDIAN",
        "i386-linux-gnu, ELF32, LITTLE_ENDIAN",
        "s390x-linux-gnu, ELF64, BIG_ENDIAN",
        "mips-linux-gnu, ELF32, BIG_ENDIAN",
        "bpfeb, ELF64, BIG_ENDIAN"
    })
    void relocatableObjects(String target, ElfHeader.ElfClass elfClass, String order)
            throws Exception {
        assumeThat(Path.of("/usr/bin/clang")).exists();
        Path source = Files.writeString(dir.resolve("f.c"),
                "int counter;\nint add_one(int x) { return x + counter + 1; }\n");
        Path object = dir.resolve("f-" + target + ".o");
        BinUtils.run("clang", "--target=" + target, "-O2", "-ffreestanding", "-c",
                "-o", object.toString(), source.toString());

        ElfFile elf = ElfFile.read(object);
        assertThat(elf.header().elfClass()).isEqualTo(elfClass);
        assertThat(elf.header().byteOrder().toString()).isEqualTo(order);
        assertThat(elf.header().type()).isEqualTo(ElfHeader.Type.REL);
        assertThat(elf.segments()).isEmpty();
        ElfSymbol function = elf.symbol("add_one").orElseThrow();
        assertThat(function.isFunction()).isTrue();
        ElfSection text = elf.sections().get(function.sectionIndex());
        assertThat(text.name()).startsWith(".text");
        assertThat(elf.fileOffset("add_one")).isEqualTo(text.offset() + function.value());
        assertThat(elf.symbol("counter").orElseThrow().type())
                .isIn(ElfSymbol.Type.OBJECT, ElfSymbol.Type.COMMON);
        // add_one reads counter: one relocation in .text (SHT_RELA outside BPF), with its symbol
        assertThat(elf.relocations()).anySatisfy(r -> {
            assertThat(elf.sections().get(r.targetSection()).name()).startsWith(".text");
            assertThat(r.symbolIndex()).isPositive();
        });
        if (order.equals("BIG_ENDIAN")) {
            assertThat(elf.header().byteOrder()).isEqualTo(ByteOrder.BIG_ENDIAN);
        }
    }
}
