package io.junitebpf.btf;

import java.nio.charset.StandardCharsets;

/**
 * Finds the {@code .BTF} section of an ELF64 object, reading only the section headers.
 *
 * <p>Deliberately tiny and private to the BTF reader: it needs nothing but the section table, and
 * keeping it here lets the BTF reader stand alone from the full ELF reader in
 * {@code io.junitebpf.elf}. Every offset is checked against the input before it is read, so a
 * corrupt header gives a {@link BtfException}, never an index error.
 */
final class ElfBtfSection {

    /** Where the BTF blob lies in the input. */
    record Slice(int offset, int length) {
    }

    private static final int EHDR_SIZE = 64;
    private static final int SHDR_SIZE = 64;
    private static final int SHN_XINDEX = 0xffff;
    private static final int SHT_NOBITS = 8;
    private static final byte[] BTF_NAME = ".BTF".getBytes(StandardCharsets.US_ASCII);

    private ElfBtfSection() {
    }

    static boolean isElf(byte[] b) {
        return b.length >= 4 && b[0] == 0x7f && b[1] == 'E' && b[2] == 'L' && b[3] == 'F';
    }

    /** The {@code .BTF} section of an ELF file whose magic {@link #isElf} has already checked. */
    static Slice find(byte[] b, String source) {
        if (b.length < EHDR_SIZE) {
            throw new BtfException("BTF: truncated ELF header in " + source + " (" + EHDR_SIZE
                    + " bytes needed, " + b.length + " present)");
        }
        if (b[4] != 2) {
            throw new BtfException("BTF: " + source + " is not an ELF64 file (EI_CLASS " + b[4]
                    + "; BPF objects are ELF64)");
        }
        boolean little = switch (b[5]) {
            case 1 -> true;
            case 2 -> false;
            default -> throw new BtfException("BTF: " + source + " has an unknown ELF byte order (EI_DATA "
                    + b[5] + "; expected 1 or 2)");
        };
        long shoff = u64(b, 0x28, little);
        int shentsize = u16(b, 0x3a, little);
        long shnum = u16(b, 0x3c, little);
        long shstrndx = u16(b, 0x3e, little);
        if (shoff == 0) {
            throw new BtfException("BTF: no section headers in " + source + " (a stripped or executable-only file?)");
        }
        if (shentsize < SHDR_SIZE) {
            throw new BtfException("BTF: ELF section header size " + shentsize + " in " + source
                    + " is below " + SHDR_SIZE + " (corrupt ELF header)");
        }
        // Section 0 holds the real count and string-table index when they overflow 16 bits.
        checkRange(b, shoff, shentsize, source, "section header 0");
        if (shnum == 0) {
            shnum = u64(b, (int) shoff + 32, little);
        }
        if (shstrndx == SHN_XINDEX) {
            shstrndx = u32(b, (int) shoff + 40, little);
        }
        if (shnum < 0 || shnum > b.length / shentsize) {
            throw new BtfException("BTF: truncated ELF file " + source + ": " + Long.toUnsignedString(shnum)
                    + " section headers cannot fit in its " + b.length + " bytes (file cut short or corrupt)");
        }
        checkRange(b, shoff, shnum * shentsize, source, "section header table");
        if (shstrndx >= shnum) {
            throw new BtfException("BTF: section name table index " + shstrndx + " in " + source
                    + " is outside the " + shnum + " sections (corrupt ELF header)");
        }
        int names = (int) (shoff + shstrndx * shentsize);
        long namesOff = u64(b, names + 24, little);
        long namesSize = u64(b, names + 32, little);
        checkRange(b, namesOff, namesSize, source, "section name table");
        for (int i = 0; i < shnum; i++) {
            int sh = (int) (shoff + (long) i * shentsize);
            long nameOff = u32(b, sh, little);
            if (!nameIs(b, namesOff, namesSize, nameOff)) {
                continue;
            }
            long off = u64(b, sh + 24, little);
            long size = u64(b, sh + 32, little);
            if (u32(b, sh + 4, little) == SHT_NOBITS) {
                throw new BtfException("BTF: the .BTF section of " + source + " has no data (SHT_NOBITS; corrupt object)");
            }
            checkRange(b, off, size, source, ".BTF section");
            return new Slice((int) off, (int) size);
        }
        throw new BtfException("BTF: no .BTF section in " + source
                + " (compile the BPF object with clang -g so that it carries BTF)");
    }

    private static boolean nameIs(byte[] b, long tableOff, long tableSize, long nameOff) {
        if (nameOff + BTF_NAME.length + 1 > tableSize) {
            return false;
        }
        int at = (int) (tableOff + nameOff);
        for (int i = 0; i < BTF_NAME.length; i++) {
            if (b[at + i] != BTF_NAME[i]) {
                return false;
            }
        }
        return b[at + BTF_NAME.length] == 0;
    }

    private static void checkRange(byte[] b, long off, long size, String source, String what) {
        // Offsets are unsigned 64-bit in the file; negative here means they overflowed a long.
        if (off < 0 || size < 0 || off > b.length || size > b.length - off) {
            throw new BtfException("BTF: truncated ELF file " + source + ": " + what + " at offset "
                    + Long.toUnsignedString(off) + " with " + Long.toUnsignedString(size)
                    + " bytes lies beyond its " + b.length + " bytes (file cut short or corrupt)");
        }
    }

    private static int u16(byte[] b, int at, boolean little) {
        int lo = b[at] & 0xff;
        int hi = b[at + 1] & 0xff;
        return little ? lo | hi << 8 : hi | lo << 8;
    }

    private static long u32(byte[] b, int at, boolean little) {
        long v = 0;
        for (int i = 0; i < 4; i++) {
            v |= (long) (b[at + (little ? i : 3 - i)] & 0xff) << (8 * i);
        }
        return v;
    }

    private static long u64(byte[] b, int at, boolean little) {
        long lo = u32(b, at + (little ? 0 : 4), little);
        long hi = u32(b, at + (little ? 4 : 0), little);
        return lo | hi << 32;
    }
}
