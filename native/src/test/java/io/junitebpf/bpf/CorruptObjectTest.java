package io.junitebpf.bpf;

import io.junitebpf.elf.ElfFile;
import io.junitebpf.elf.ElfRelocation;
import io.junitebpf.elf.ElfSection;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import java.io.InputStream;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Corrupted objects must be refused with an exception, never crash the JVM:
 * libbpf 1.1.2 segfaults in bpf_object__open_mem on some corruptions, so the
 * ELF structure (relocations included, decoded by the ELF reader) is checked in Java first (ObjectCheck).
 */
class CorruptObjectTest {

    private static byte[] object() throws Exception {
        try (InputStream in = CorruptObjectTest.class.getClassLoader().getResourceAsStream("bpf-test/maps.bpf.o")) {
            return in.readAllBytes();
        }
    }

    @Test
    void randomByteCorruptionsOpenOrFailCleanly() throws Exception {
        byte[] original = object();
        int opened = 0;
        int refused = 0;
        for (int seed = 0; seed < 600; seed++) {
            Random random = new Random(seed);
            byte[] corrupt = original.clone();
            for (int k = 0; k < 8; k++) {
                corrupt[64 + random.nextInt(corrupt.length - 64)] = (byte) random.nextInt(256);
            }
            try (BpfObject ignored = BpfObject.open(corrupt, "corrupt-" + seed + ".bpf.o")) {
                opened++;
            } catch (BpfException e) {
                assertThat(e.getMessage()).startsWith("open object corrupt-" + seed + ".bpf.o: ");
                refused++;
            }
        }
        assertThat(opened + refused).isEqualTo(600);
        assertThat(refused).isPositive();
    }

    @Test
    void aRelocationNamingAMissingSymbolIsRefusedBeforeLibbpf() throws Exception {
        byte[] elf = object();
        ElfRelocation first = ElfFile.parse(elf, "maps.bpf.o").relocations().getFirst();
        ElfSection rel = ElfFile.parse(elf, "maps.bpf.o").sections().get(first.section());
        // r_info of the section's first entry: symbol 4000 in the upper half, the type kept
        ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN).putLong((int) rel.offset() + 8, (4000L << 32) | first.type());

        assertThatThrownBy(() -> BpfObject.open(elf, "bad-rel.bpf.o"))
                .isInstanceOf(BpfException.class)
                .hasMessageStartingWith("open object bad-rel.bpf.o: malformed ELF: ELF file bad-rel.bpf.o: malformed:"
                        + " relocation 0 of " + rel.name() + " names symbol 4000, but .symtab has ");
    }

    @Test
    void anObjectForAnotherMachineIsRefusedBeforeLibbpf() throws Exception {
        byte[] elf = object();
        elf[18] = 62; // e_machine = EM_X86_64
        elf[19] = 0;
        assertThatThrownBy(() -> BpfObject.open(elf, "x86.o"))
                .isInstanceOf(BpfException.class)
                .hasMessageContaining("not a BPF object")
                .hasMessageContaining("x86-64");
    }
}
