package io.junitebpf.elf;

/**
 * One section header.
 *
 * @param index position in the section header table
 * @param name name from the section name string table, empty for the null section
 * @param type {@code sh_type}, e.g. {@link #SHT_PROGBITS}
 * @param flags {@code sh_flags}, e.g. {@link #SHF_ALLOC}
 * @param address virtual address when loaded ({@code sh_addr}), 0 if not allocated
 * @param offset file offset of the contents ({@code sh_offset})
 * @param size size in bytes ({@code sh_size}); occupies no file space for {@link #SHT_NOBITS}
 * @param link {@code sh_link}, e.g. the string table of a symbol table
 * @param info {@code sh_info}
 * @param alignment {@code sh_addralign}
 * @param entrySize {@code sh_entsize}, size of one entry for table sections
 */
public record ElfSection(int index, String name, int type, long flags, long address, long offset,
        long size, int link, int info, long alignment, long entrySize) {

    /** {@code SHT_PROGBITS}: contents defined by the program. */
    public static final int SHT_PROGBITS = 1;
    /** {@code SHT_SYMTAB}: the full symbol table. */
    public static final int SHT_SYMTAB = 2;
    /** {@code SHT_STRTAB}: a string table. */
    public static final int SHT_STRTAB = 3;
    /** {@code SHT_RELA}: relocations with explicit addends. */
    public static final int SHT_RELA = 4;
    /** {@code SHT_NOTE}: notes. */
    public static final int SHT_NOTE = 7;
    /** {@code SHT_NOBITS}: occupies memory but no file space (e.g. {@code .bss}). */
    public static final int SHT_NOBITS = 8;
    /** {@code SHT_REL}: relocations without addends (what BPF objects carry). */
    public static final int SHT_REL = 9;
    /** {@code SHT_DYNSYM}: the dynamic symbol table. */
    public static final int SHT_DYNSYM = 11;
    /** {@code SHF_ALLOC}: the section is loaded into memory. */
    public static final long SHF_ALLOC = 0x2;
    /** {@code SHF_EXECINSTR}: the section holds machine code. */
    public static final long SHF_EXECINSTR = 0x4;

    /**
     * Tells whether the section is part of the loaded image.
     *
     * @return true if {@link #SHF_ALLOC} is set
     */
    public boolean isAllocated() {
        return (flags & SHF_ALLOC) != 0;
    }

    /**
     * Tells whether a virtual address lies inside this allocated section.
     *
     * @param virtualAddress address as the linker assigned it
     * @return true if the section is allocated and {@code address <= a < address + size}
     */
    public boolean containsAddress(long virtualAddress) {
        return isAllocated() && Long.compareUnsigned(virtualAddress, address) >= 0
                && Long.compareUnsigned(virtualAddress - address, size) < 0;
    }
}
