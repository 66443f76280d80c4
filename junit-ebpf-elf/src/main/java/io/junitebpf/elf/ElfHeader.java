package io.junitebpf.elf;

import java.nio.ByteOrder;

/**
 * The identification and file header of an ELF file.
 *
 * @param elfClass 32- or 64-bit layout of all structures in the file
 * @param byteOrder byte order of all multi-byte fields
 * @param type object file type ({@code e_type})
 * @param machine target architecture ({@code e_machine}), e.g. {@link #EM_X86_64}
 * @param entry entry point virtual address, 0 if none
 */
public record ElfHeader(ElfClass elfClass, ByteOrder byteOrder, Type type, int machine,
        long entry) {

    /** {@code e_machine} of x86-64. */
    public static final int EM_X86_64 = 62;
    /** {@code e_machine} of 64-bit ARM. */
    public static final int EM_AARCH64 = 183;
    /** {@code e_machine} of BPF objects. */
    public static final int EM_BPF = 247;

    /** Width of addresses and offsets in the file ({@code EI_CLASS}). */
    public enum ElfClass {
        /** 32-bit structures. */
        ELF32,
        /** 64-bit structures. */
        ELF64
    }

    /** Object file type ({@code e_type}). */
    public enum Type {
        /** {@code ET_NONE}. */
        NONE,
        /** {@code ET_REL}: a relocatable object such as a {@code .o} or {@code .bpf.o}. */
        REL,
        /** {@code ET_EXEC}: an executable linked at a fixed address (non-PIE). */
        EXEC,
        /** {@code ET_DYN}: a shared library or a position-independent executable. */
        DYN,
        /** {@code ET_CORE}: a core dump. */
        CORE,
        /** An OS- or processor-specific type. */
        OTHER;

        static Type of(int eType) {
            return switch (eType) {
                case 0 -> NONE;
                case 1 -> REL;
                case 2 -> EXEC;
                case 3 -> DYN;
                case 4 -> CORE;
                default -> OTHER;
            };
        }
    }

    /**
     * Returns a readable name for {@link #machine()}, for messages.
     *
     * @return e.g. {@code "x86-64"}, or {@code "machine 243"} when unknown
     */
    public String machineName() {
        return switch (machine) {
            case 3 -> "i386";
            case 8 -> "MIPS";
            case 20 -> "PowerPC";
            case 21 -> "PowerPC64";
            case 22 -> "s390";
            case 40 -> "ARM";
            case EM_X86_64 -> "x86-64";
            case EM_AARCH64 -> "AArch64";
            case 243 -> "RISC-V";
            case EM_BPF -> "BPF";
            default -> "machine " + machine;
        };
    }
}
