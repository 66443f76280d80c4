package io.junitebpf.elf;

/**
 * One program header: how a part of the file is mapped into memory.
 *
 * @param type {@code p_type}, e.g. {@link #PT_LOAD}
 * @param flags {@code p_flags}, a combination of {@link #PF_X}, {@link #PF_W}, {@link #PF_R}
 * @param offset file offset of the first byte ({@code p_offset})
 * @param virtualAddress where the first byte is mapped ({@code p_vaddr})
 * @param fileSize bytes taken from the file ({@code p_filesz})
 * @param memorySize bytes in memory ({@code p_memsz}); the rest beyond {@code fileSize} is zeroed
 * @param alignment {@code p_align}
 */
public record ElfSegment(int type, int flags, long offset, long virtualAddress, long fileSize,
        long memorySize, long alignment) {

    /** {@code PT_LOAD}: a loadable segment. */
    public static final int PT_LOAD = 1;
    /** {@code PF_X}: executable. */
    public static final int PF_X = 1;
    /** {@code PF_W}: writable. */
    public static final int PF_W = 2;
    /** {@code PF_R}: readable. */
    public static final int PF_R = 4;

    /**
     * Tells whether this is a {@link #PT_LOAD} segment.
     *
     * @return true for loadable segments
     */
    public boolean isLoad() {
        return type == PT_LOAD;
    }

    /**
     * Tells whether the segment is mapped executable; uprobes and USDT locations live in these.
     *
     * @return true if {@link #PF_X} is set
     */
    public boolean isExecutable() {
        return (flags & PF_X) != 0;
    }

    /**
     * Tells whether a virtual address lies in the memory image of this segment.
     *
     * @param address virtual address as the linker assigned it
     * @return true if {@code virtualAddress <= address < virtualAddress + memorySize}
     */
    public boolean containsAddress(long address) {
        return Long.compareUnsigned(address, virtualAddress) >= 0
                && Long.compareUnsigned(address - virtualAddress, memorySize) < 0;
    }
}
