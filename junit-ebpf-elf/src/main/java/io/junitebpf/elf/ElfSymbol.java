package io.junitebpf.elf;

/**
 * One entry of {@code .symtab} or {@code .dynsym}.
 *
 * @param name symbol name; versioned definitions may read {@code memcpy@GLIBC_2.2.5}
 * @param value {@code st_value}: for executables and libraries a virtual address, for relocatable
 *     objects an offset inside the section
 * @param size {@code st_size}; 0 for symbols whose size is unknown (common for hand-written
 *     assembly), which does not make them less attachable
 * @param type what the symbol names
 * @param binding visibility to the linker
 * @param sectionIndex {@code st_shndx}; {@link #SHN_UNDEF} for symbols imported from elsewhere
 * @param table the table the entry was read from
 */
public record ElfSymbol(String name, long value, long size, Type type, Binding binding,
        int sectionIndex, Table table) {

    /** {@code SHN_UNDEF}: the symbol is referenced here but defined in another file. */
    public static final int SHN_UNDEF = 0;
    /** {@code SHN_LORESERVE}: indexes from here on are special values, not sections. */
    public static final int SHN_LORESERVE = 0xff00;
    /** {@code SHN_ABS}: the value is absolute, not relative to any section. */
    public static final int SHN_ABS = 0xfff1;

    /** Symbol type ({@code ELF_ST_TYPE}). */
    public enum Type {
        /** {@code STT_NOTYPE}. */
        NOTYPE,
        /** {@code STT_OBJECT}: data. */
        OBJECT,
        /** {@code STT_FUNC}: code. */
        FUNC,
        /** {@code STT_SECTION}. */
        SECTION,
        /** {@code STT_FILE}. */
        FILE,
        /** {@code STT_COMMON}. */
        COMMON,
        /** {@code STT_TLS}. */
        TLS,
        /**
         * {@code STT_GNU_IFUNC}: the symbol is a resolver that picks the real implementation at
         * load time (glibc's {@code memcpy}, {@code strlen}); a uprobe on it fires when the
         * resolver runs, not on every call.
         */
        GNU_IFUNC,
        /** Any other processor- or OS-specific type. */
        OTHER;

        static Type of(int sttType) {
            return switch (sttType) {
                case 0 -> NOTYPE;
                case 1 -> OBJECT;
                case 2 -> FUNC;
                case 3 -> SECTION;
                case 4 -> FILE;
                case 5 -> COMMON;
                case 6 -> TLS;
                case 10 -> GNU_IFUNC;
                default -> OTHER;
            };
        }
    }

    /** Symbol binding ({@code ELF_ST_BIND}). */
    public enum Binding {
        /** {@code STB_LOCAL}: visible only in its own object (static functions). */
        LOCAL,
        /** {@code STB_GLOBAL}. */
        GLOBAL,
        /** {@code STB_WEAK}: may be overridden by a global definition. */
        WEAK,
        /** {@code STB_GNU_UNIQUE}. */
        GNU_UNIQUE,
        /** Any other binding. */
        OTHER;

        static Binding of(int stbBinding) {
            return switch (stbBinding) {
                case 0 -> LOCAL;
                case 1 -> GLOBAL;
                case 2 -> WEAK;
                case 10 -> GNU_UNIQUE;
                default -> OTHER;
            };
        }
    }

    /** Which symbol table an entry came from. */
    public enum Table {
        /** {@code .symtab}: everything, often stripped from installed binaries. */
        SYMTAB,
        /** {@code .dynsym}: the exported and imported symbols; survives stripping. */
        DYNSYM
    }

    /**
     * Tells whether the symbol is defined in this file rather than imported.
     *
     * @return false for {@link #SHN_UNDEF}
     */
    public boolean isDefined() {
        return sectionIndex != SHN_UNDEF;
    }

    /**
     * Tells whether the symbol names code a uprobe can attach to: a defined {@link Type#FUNC} or
     * {@link Type#GNU_IFUNC}, as libbpf accepts.
     *
     * @return true if attachable by name
     */
    public boolean isFunction() {
        return isDefined() && (type == Type.FUNC || type == Type.GNU_IFUNC);
    }

    /**
     * Returns the name without a symbol version ({@code memcpy@@GLIBC_2.14} gives {@code memcpy}).
     *
     * @return the name before the first {@code '@'}
     */
    public String baseName() {
        int at = name.indexOf('@');
        return at < 0 ? name : name.substring(0, at);
    }
}
