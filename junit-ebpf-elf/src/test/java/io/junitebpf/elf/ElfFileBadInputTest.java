package io.junitebpf.elf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whatever is wrong with the input, the caller gets an {@link ElfException} that says what. */
class ElfFileBadInputTest {

    @TempDir
    static Path dir;
    static byte[] umark;

    @BeforeAll
    static void compile() throws Exception {
        umark = Files.readAllBytes(BinUtils.compileUmark(dir, "umark"));
    }

    @Test
    void missingPath() {
        Path missing = dir.resolve("no-such-umark");
        assertThatThrownBy(() -> ElfFile.read(missing))
                .isExactlyInstanceOf(ElfException.class)
                .hasMessage("ELF file " + missing + ": no such file (check the path, or build the "
                        + "target first)");
    }

    @Test
    void directory() {
        assertThatThrownBy(() -> ElfFile.read(dir))
                .isExactlyInstanceOf(ElfException.class)
                .hasMessageStartingWith("ELF file " + dir + ": is a directory");
    }

    @Test
    void emptyFile() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty"));
        assertThatThrownBy(() -> ElfFile.read(empty))
                .isExactlyInstanceOf(ElfException.class)
                .hasMessageStartingWith("ELF file " + empty + ": empty file (0 bytes");
    }

    @Test
    void notAnElfFile() throws Exception {
        Path script = Files.writeString(dir.resolve("script.sh"), "#!/bin/sh\necho hi\n");
        assertThatThrownBy(() -> ElfFile.read(script))
                .isExactlyInstanceOf(ElfException.class)
                .hasMessage("ELF file " + script + ": not an ELF file (starts with 23 21 2f 62 "
                        + "'#!/b', expected 7f 45 4c 46; is it a script, a wrapper or an "
                        + "archive?)");
        assertThatThrownBy(() -> ElfFile.parse("ab".getBytes(StandardCharsets.US_ASCII), "tiny"))
                .hasMessageStartingWith("ELF file tiny: not an ELF file (starts with 61 62");
    }

    @Test
    void truncatedInsideTheIdentification() {
        assertThatThrownBy(() -> ElfFile.parse(Arrays.copyOf(umark, 10), "umark[0..10]"))
                .isExactlyInstanceOf(ElfException.class)
                .hasMessageStartingWith("ELF file umark[0..10]: truncated at offset 10 (");
    }

    @Test
    void truncatedBeforeTheSectionHeaders() throws Exception {
        Path half = Files.write(dir.resolve("umark-half"), Arrays.copyOf(umark, umark.length / 2));
        assertThatThrownBy(() -> ElfFile.read(half))
                .isExactlyInstanceOf(ElfException.class)
                .hasMessageStartingWith("ELF file " + half + ": truncated at offset "
                        + umark.length / 2 + " (section header table needs")
                .hasMessageEndingWith("is the file complete?)");
    }

    @Test
    void unknownClassIsMalformed() {
        byte[] bytes = umark.clone();
        bytes[4] = 7;
        assertThatThrownBy(() -> ElfFile.parse(bytes, "odd"))
                .hasMessage("ELF file odd: malformed: unknown EI_CLASS 7, expected 1 (ELF32) or 2 "
                        + "(ELF64) (is the file corrupt?)");
    }

    /**
     * Truncation at every kind of boundary and random corruption: parsing either succeeds or
     * throws {@link ElfException}, and never leaks an IndexOutOfBounds or BufferUnderflow.
     */
    @Test
    void corruptionNeverLeaksLowLevelExceptions() {
        Random random = new Random(42);
        for (int i = 0; i < 400; i++) {
            byte[] bytes;
            if (i < 100) {
                bytes = Arrays.copyOf(umark, random.nextInt(umark.length));
            } else {
                bytes = umark.clone();
                for (int flips = 0; flips < 1 + random.nextInt(8); flips++) {
                    // Bias to the headers and tables at both ends, where the structure is.
                    int at = random.nextBoolean() ? random.nextInt(Math.min(umark.length, 4096))
                            : umark.length - 1 - random.nextInt(Math.min(umark.length, 8192));
                    bytes[at] = (byte) random.nextInt(256);
                }
            }
            byte[] input = bytes;
            Throwable thrown = catchThrowable(() -> exercise(ElfFile.parse(input, "fuzz")));
            assertThat(thrown).as("case %d", i)
                    .satisfiesAnyOf(t -> assertThat(t).isNull(),
                            t -> assertThat(t).isInstanceOf(ElfException.class)
                                    .hasMessageStartingWith(t instanceof ElfLookupException
                                            ? "" : "ELF file fuzz: "));
        }
    }

    private static void exercise(ElfFile elf) {
        elf.functions();
        elf.symbol("func_uprobe1");
        for (UsdtProbe probe : elf.usdtProbes()) {
            try {
                probe.arguments();
            } catch (ElfException expected) {
                assertThat(expected).hasMessageStartingWith("USDT probe ");
            }
        }
        try {
            elf.fileOffset("func_uprobe1");
        } catch (ElfException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }
}
