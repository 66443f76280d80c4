package io.junitebpf.elf;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Gives {@code .dynsym} entries the version suffix {@code nm -D} shows ({@code memcpy@@GLIBC_2.14},
 * {@code memcpy@GLIBC_2.2.5}), read from the GNU {@code versym}, {@code verdef} and
 * {@code verneed} sections.
 *
 * <p>Without them glibc's two {@code memcpy} entries would be indistinguishable and attaching by
 * name ambiguous; with them, an unversioned name picks the default ({@code @@}) definition, the
 * one the dynamic linker binds new programs to.
 */
final class SymbolVersions {

    private static final int SHT_GNU_VERDEF = 0x6ffffffd;
    private static final int SHT_GNU_VERNEED = 0x6ffffffe;
    private static final int SHT_GNU_VERSYM = 0x6fffffff;
    private static final int VERSYM_HIDDEN = 0x8000;
    private static final int VER_FLG_BASE = 1;

    private SymbolVersions() {
    }

    /** Returns, per symbol index of {@code dynsym}, its suffix or null for none. */
    static String[] suffixes(ElfInput in, ElfSection dynsym, List<ElfSection> sections, int count) {
        ElfSection versym = null;
        Map<Integer, String> defined = new HashMap<>();
        Map<Integer, String> needed = new HashMap<>();
        for (ElfSection s : sections) {
            if (s.link() != dynsym.index() && s.type() == SHT_GNU_VERSYM) {
                continue;
            }
            switch (s.type()) {
                case SHT_GNU_VERSYM -> versym = s;
                case SHT_GNU_VERDEF -> definitions(in, s, sections, defined);
                case SHT_GNU_VERNEED -> needs(in, s, sections, needed);
                default -> { }
            }
        }
        if (versym == null) {
            return null;
        }
        ByteBuffer b = in.read(versym.offset(), versym.size(), "section " + versym.name());
        String[] suffixes = new String[count];
        for (int i = 1; i < count && 2 * i + 1 < b.limit(); i++) {
            int entry = Short.toUnsignedInt(b.getShort(2 * i));
            int index = entry & ~VERSYM_HIDDEN;
            if (index < 2) {
                continue; // 0 local, 1 the unversioned global base
            }
            String def = defined.get(index);
            if (def != null) {
                suffixes[i] = ((entry & VERSYM_HIDDEN) != 0 ? "@" : "@@") + def;
            } else if (needed.containsKey(index)) {
                suffixes[i] = "@" + needed.get(index);
            }
        }
        return suffixes;
    }

    private static void definitions(ElfInput in, ElfSection s, List<ElfSection> sections,
            Map<Integer, String> out) {
        ByteBuffer b = in.read(s.offset(), s.size(), "section " + s.name());
        byte[] strings = strings(in, s, sections);
        long at = 0;
        // sh_info holds the entry count; bounding the walk by it also defeats next-pointer loops.
        for (int n = 0; n < s.info() && at >= 0 && at + 20 <= b.limit(); n++) {
            int base = (int) at;
            int flags = Short.toUnsignedInt(b.getShort(base + 2));
            int index = Short.toUnsignedInt(b.getShort(base + 4));
            long aux = base + Integer.toUnsignedLong(b.getInt(base + 12));
            if ((flags & VER_FLG_BASE) == 0 && aux + 8 <= b.limit()) {
                out.put(index, ElfParser.string(in, strings, b.getInt((int) aux), s.name()));
            }
            long next = Integer.toUnsignedLong(b.getInt(base + 16));
            if (next == 0) {
                break;
            }
            at += next;
        }
    }

    private static void needs(ElfInput in, ElfSection s, List<ElfSection> sections,
            Map<Integer, String> out) {
        ByteBuffer b = in.read(s.offset(), s.size(), "section " + s.name());
        byte[] strings = strings(in, s, sections);
        long at = 0;
        for (int n = 0; n < s.info() && at >= 0 && at + 16 <= b.limit(); n++) {
            int base = (int) at;
            int auxCount = Short.toUnsignedInt(b.getShort(base + 2));
            long aux = base + Integer.toUnsignedLong(b.getInt(base + 8));
            for (int k = 0; k < auxCount && aux + 16 <= b.limit(); k++) {
                int index = Short.toUnsignedInt(b.getShort((int) aux + 6));
                out.put(index & ~VERSYM_HIDDEN,
                        ElfParser.string(in, strings, b.getInt((int) aux + 8), s.name()));
                long next = Integer.toUnsignedLong(b.getInt((int) aux + 12));
                if (next == 0) {
                    break;
                }
                aux += next;
            }
            long next = Integer.toUnsignedLong(b.getInt(base + 12));
            if (next == 0) {
                break;
            }
            at += next;
        }
    }

    private static byte[] strings(ElfInput in, ElfSection s, List<ElfSection> sections) {
        if (s.link() <= 0 || s.link() >= sections.size()) {
            throw in.malformed(s.name() + " links to string table " + s.link() + ", but there are "
                    + sections.size() + " sections");
        }
        ElfSection strtab = sections.get(s.link());
        return ElfParser.bytes(in, strtab.offset(), strtab.size(), "string table " + strtab.name());
    }
}
