package io.junitebpf.bpf;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Corrupted objects must be refused with an exception, never crash the JVM:
 * libbpf 1.1.2 segfaults in bpf_object__open_mem on some corruptions, so the
 * ELF structure is checked in Java first (ObjectCheck).
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
