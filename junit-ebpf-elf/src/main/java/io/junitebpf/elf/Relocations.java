package io.junitebpf.elf;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the {@code SHT_REL} and {@code SHT_RELA} sections of a relocatable object into
 * {@link ElfRelocation}s, checking every index and offset they carry.
 *
 * <p>Only relocatable objects ({@code ET_REL}) are decoded: there {@code r_offset} is an offset
 * inside the target section and the entries are part of what the object says. The dynamic
 * relocations of executables and libraries are the dynamic linker's business, and reading them
 * would make a 30 MB {@code libjvm.so} cost megabytes for nothing.
 */
final class Relocations {

    private Relocations() {
    }

    static List<ElfRelocation> decode(ElfInput in, boolean is64, List<ElfSection> sections) {
        List<ElfRelocation> out = new ArrayList<>();
        for (ElfSection s : sections) {
            if (s.type() == ElfSection.SHT_REL || s.type() == ElfSection.SHT_RELA) {
                decode(in, is64, s, sections, out);
            }
        }
        return List.copyOf(out);
    }

    private static void decode(ElfInput in, boolean is64, ElfSection rel, List<ElfSection> sections,
            List<ElfRelocation> out) {
        boolean rela = rel.type() == ElfSection.SHT_RELA;
        int entry = (is64 ? 8 : 4) * (rela ? 3 : 2);
        long stride = rel.entrySize() == 0 ? entry : rel.entrySize();
        if (stride < entry || rel.size() % stride != 0) {
            throw in.malformed("relocation section " + rel.name() + " has " + rel.size()
                    + " bytes in entries of " + stride + ", expected a multiple of at least " + entry);
        }
        ElfSection target = section(in, sections, rel.info(), rel, "patches section");
        ElfSection symtab = section(in, sections, rel.link(), rel, "links to symbol table");
        long symbols = symtab.size() / (is64 ? 24 : 16);
        ByteBuffer b = in.read(rel.offset(), rel.size(), "relocation section " + rel.name());
        for (int i = 0; i < rel.size() / stride; i++) {
            int at = (int) (i * stride);
            long offset = is64 ? b.getLong(at) : Integer.toUnsignedLong(b.getInt(at));
            long info = is64 ? b.getLong(at + 8) : Integer.toUnsignedLong(b.getInt(at + 4));
            long symbol = is64 ? info >>> 32 : info >>> 8;
            int type = (int) (is64 ? info : info & 0xff);
            long addend = !rela ? 0 : is64 ? b.getLong(at + 16) : b.getInt(at + 8);
            if (Long.compareUnsigned(offset, target.size()) >= 0) {
                throw in.malformed("relocation " + i + " of " + rel.name() + " patches offset "
                        + Long.toUnsignedString(offset) + " of " + target.name() + ", which has "
                        + target.size() + " bytes");
            }
            if (symbol >= symbols) {
                throw in.malformed("relocation " + i + " of " + rel.name() + " names symbol "
                        + symbol + ", but " + symtab.name() + " has " + symbols);
            }
            out.add(new ElfRelocation(rel.index(), target.index(), offset, (int) symbol, type,
                    addend));
        }
    }

    private static ElfSection section(ElfInput in, List<ElfSection> sections, int index,
            ElfSection rel, String role) {
        if (index <= 0 || index >= sections.size()) {
            throw in.malformed("relocation section " + rel.name() + " " + role + " " + index
                    + ", but there are " + sections.size() + " sections");
        }
        return sections.get(index);
    }
}
