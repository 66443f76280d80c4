package io.junitebpf.elf;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Decodes the structures of an ELF file (ELF32 and ELF64, either byte order) into the value
 * types of this package. Every offset taken from the file is checked before use, so a corrupt
 * or truncated file ends in an {@link ElfException} naming what was being read.
 */
final class ElfParser {

    /** The decoded tables, before {@link ElfFile} derives attach offsets from them. */
    record Parsed(ElfHeader header, List<ElfSection> sections, List<ElfSegment> segments,
            List<ElfSymbol> symbols, List<ElfRelocation> relocations, List<StapsdtNote> notes) {
    }

    /** One {@code .note.stapsdt} entry exactly as written in the file. */
    record StapsdtNote(String provider, String name, long location, long base, long semaphore,
            String argumentSpec) {
    }

    private static final byte[] MAGIC = {0x7f, 'E', 'L', 'F'};
    private static final int NT_STAPSDT = 3;
    private static final int SHN_XINDEX = 0xffff;
    private static final int PN_XNUM = 0xffff;

    private final ElfInput in;
    private boolean is64;

    private ElfParser(ElfInput in) {
        this.in = in;
    }

    static Parsed parse(ElfInput in) {
        try {
            return new ElfParser(in).parse();
        } catch (IndexOutOfBoundsException | BufferUnderflowException e) {
            // Only reachable through a bug in the checks below; still never leak it raw.
            throw new ElfException("ELF file " + in.displayName() + ": malformed: " + e
                    + " (is the file corrupt?)", e);
        }
    }

    private Parsed parse() {
        ElfHeaderFields h = header();
        List<RawSection> raw = sectionHeaders(h);
        List<ElfSection> sections = nameSections(raw, h.shstrndx);
        List<ElfSegment> segments = programHeaders(h, raw);
        List<ElfSymbol> symbols = new ArrayList<>();
        for (ElfSection s : sections) {
            if (s.type() == ElfSection.SHT_SYMTAB) {
                symbols(s, sections, ElfSymbol.Table.SYMTAB, symbols);
            }
        }
        for (ElfSection s : sections) {
            if (s.type() == ElfSection.SHT_DYNSYM) {
                symbols(s, sections, ElfSymbol.Table.DYNSYM, symbols);
            }
        }
        List<StapsdtNote> notes = new ArrayList<>();
        for (ElfSection s : sections) {
            if (s.type() == ElfSection.SHT_NOTE && s.name().equals(".note.stapsdt")) {
                stapsdtNotes(s, notes);
            }
        }
        List<ElfRelocation> relocations = h.header.type() == ElfHeader.Type.REL
                ? Relocations.decode(in, is64, sections) : List.of();
        return new Parsed(h.header, List.copyOf(sections), List.copyOf(segments),
                List.copyOf(symbols), relocations, List.copyOf(notes));
    }

    private record ElfHeaderFields(ElfHeader header, long phoff, long shoff, int phentsize,
            int phnum, int shentsize, int shnum, int shstrndx) {
    }

    private record RawSection(int nameOffset, int type, long flags, long address, long offset,
            long size, int link, int info, long alignment, long entrySize) {
    }

    private ElfHeaderFields header() {
        long size = in.size();
        if (size == 0) {
            throw new ElfException("ELF file " + in.displayName() + ": empty file (0 bytes; "
                    + "was the build or copy interrupted?)");
        }
        ByteBuffer ident = in.read(0, Math.min(size, 16), "ELF identification");
        int prefix = (int) Math.min(size, MAGIC.length);
        for (int i = 0; i < prefix; i++) {
            if (ident.get(i) != MAGIC[i]) {
                throw notElf(ident);
            }
        }
        if (size < 16) {
            throw in.truncated(size, 0, 16, "ELF identification");
        }
        is64 = switch (ident.get(4)) {
            case 1 -> false;
            case 2 -> true;
            default -> throw in.malformed("unknown EI_CLASS " + ident.get(4) + ", expected 1 "
                    + "(ELF32) or 2 (ELF64)");
        };
        ByteOrder order = switch (ident.get(5)) {
            case 1 -> ByteOrder.LITTLE_ENDIAN;
            case 2 -> ByteOrder.BIG_ENDIAN;
            default -> throw in.malformed("unknown EI_DATA " + ident.get(5) + ", expected 1 "
                    + "(little-endian) or 2 (big-endian)");
        };
        in.order(order);
        ByteBuffer b = in.read(0, is64 ? 64 : 52, "ELF header");
        int type = u16(b, 16);
        int machine = u16(b, 18);
        long entry = is64 ? b.getLong(24) : u32(b, 24);
        int at = is64 ? 32 : 28;
        long phoff = word(b, at);
        long shoff = word(b, at + (is64 ? 8 : 4));
        at += is64 ? 16 : 8;
        // e_flags, e_ehsize, then the table geometry
        int phentsize = u16(b, at + 6);
        int phnum = u16(b, at + 8);
        int shentsize = u16(b, at + 10);
        int shnum = u16(b, at + 12);
        int shstrndx = u16(b, at + 14);
        ElfHeader header = new ElfHeader(is64 ? ElfHeader.ElfClass.ELF64 : ElfHeader.ElfClass.ELF32,
                order, ElfHeader.Type.of(type), machine, entry);
        return new ElfHeaderFields(header, phoff, shoff, phentsize, phnum, shentsize, shnum,
                shstrndx);
    }

    private ElfException notElf(ByteBuffer ident) {
        byte[] first = new byte[Math.min(ident.limit(), 4)];
        ident.get(0, first);
        String printable = new String(first, StandardCharsets.ISO_8859_1).replaceAll("[^ -~]", ".");
        return new ElfException("ELF file " + in.displayName() + ": not an ELF file (starts with "
                + HexFormat.ofDelimiter(" ").formatHex(first) + " '" + printable
                + "', expected 7f 45 4c 46; is it a script, a wrapper or an archive?)");
    }

    private List<RawSection> sectionHeaders(ElfHeaderFields h) {
        if (h.shoff == 0) {
            return List.of(); // stripped of section headers: symbols and notes are unavailable
        }
        int entry = is64 ? 64 : 40;
        if (h.shentsize < entry) {
            throw in.malformed("section header entry size " + h.shentsize + ", expected at least "
                    + entry);
        }
        long count = h.shnum;
        if (count == 0) {
            // Extended numbering: with 0xff00 or more sections the count lives in section 0.
            count = rawSection(in.read(h.shoff, entry, "section header 0"), 0).size;
        }
        if (count > in.size() / h.shentsize) {
            throw in.truncated(in.size(), h.shoff, count * h.shentsize, "section header table");
        }
        ByteBuffer table = in.read(h.shoff, count * h.shentsize, "section header table");
        List<RawSection> raw = new ArrayList<>((int) count);
        for (int i = 0; i < count; i++) {
            raw.add(rawSection(table, i * h.shentsize));
        }
        return raw;
    }

    private RawSection rawSection(ByteBuffer b, int at) {
        if (is64) {
            return new RawSection(b.getInt(at), b.getInt(at + 4), b.getLong(at + 8),
                    b.getLong(at + 16), b.getLong(at + 24), b.getLong(at + 32), b.getInt(at + 40),
                    b.getInt(at + 44), b.getLong(at + 48), b.getLong(at + 56));
        }
        return new RawSection(b.getInt(at), b.getInt(at + 4), u32(b, at + 8), u32(b, at + 12),
                u32(b, at + 16), u32(b, at + 20), b.getInt(at + 24), b.getInt(at + 28),
                u32(b, at + 32), u32(b, at + 36));
    }

    private List<ElfSection> nameSections(List<RawSection> raw, int shstrndx) {
        if (raw.isEmpty()) {
            return List.of();
        }
        int index = shstrndx == SHN_XINDEX ? raw.get(0).link : shstrndx;
        byte[] names = null;
        if (index > 0 && index < raw.size()) {
            RawSection s = raw.get(index);
            names = bytes(s.offset, s.type == ElfSection.SHT_NOBITS ? 0 : s.size,
                    "section name table");
        }
        List<ElfSection> sections = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            RawSection s = raw.get(i);
            String name = names == null ? "" : string(names, s.nameOffset, "section name table");
            sections.add(new ElfSection(i, name, s.type, s.flags, s.address, s.offset, s.size,
                    s.link, s.info, s.alignment, s.entrySize));
        }
        return sections;
    }

    private List<ElfSegment> programHeaders(ElfHeaderFields h, List<RawSection> raw) {
        if (h.phoff == 0) {
            return List.of();
        }
        int entry = is64 ? 56 : 32;
        if (h.phentsize < entry) {
            throw in.malformed("program header entry size " + h.phentsize + ", expected at least "
                    + entry);
        }
        long count = h.phnum == PN_XNUM && !raw.isEmpty() ? Integer.toUnsignedLong(raw.get(0).info)
                : h.phnum;
        if (count > in.size() / h.phentsize) {
            throw in.truncated(in.size(), h.phoff, count * h.phentsize, "program header table");
        }
        ByteBuffer b = in.read(h.phoff, count * h.phentsize, "program header table");
        List<ElfSegment> segments = new ArrayList<>((int) count);
        for (int i = 0; i < count; i++) {
            int at = i * h.phentsize;
            segments.add(is64
                    ? new ElfSegment(b.getInt(at), b.getInt(at + 4), b.getLong(at + 8),
                            b.getLong(at + 16), b.getLong(at + 32), b.getLong(at + 40),
                            b.getLong(at + 48))
                    : new ElfSegment(b.getInt(at), b.getInt(at + 24), u32(b, at + 4),
                            u32(b, at + 8), u32(b, at + 16), u32(b, at + 20), u32(b, at + 28)));
        }
        return segments;
    }

    private void symbols(ElfSection table, List<ElfSection> sections, ElfSymbol.Table kind,
            List<ElfSymbol> out) {
        int entry = is64 ? 24 : 16;
        long stride = table.entrySize() == 0 ? entry : table.entrySize();
        if (stride < entry) {
            throw in.malformed(table.name() + " entry size " + stride + ", expected at least "
                    + entry);
        }
        if (table.link() <= 0 || table.link() >= sections.size()) {
            throw in.malformed(table.name() + " links to string table " + table.link()
                    + ", but there are " + sections.size() + " sections");
        }
        ElfSection strtab = sections.get(table.link());
        byte[] strings = bytes(strtab.offset(), strtab.size(), "string table " + strtab.name());
        ByteBuffer b = in.read(table.offset(), table.size(), "symbol table " + table.name());
        long count = table.size() / stride;
        String[] versions = kind == ElfSymbol.Table.DYNSYM
                ? SymbolVersions.suffixes(in, table, sections, (int) count) : null;
        for (long i = 1; i < count; i++) { // entry 0 is the reserved null symbol
            int at = (int) (i * stride);
            int nameOffset = b.getInt(at);
            if (nameOffset == 0) {
                continue; // unnamed symbols cannot be looked up
            }
            long value;
            long size;
            int info;
            int shndx;
            if (is64) {
                info = b.get(at + 4) & 0xff;
                shndx = u16(b, at + 6);
                value = b.getLong(at + 8);
                size = b.getLong(at + 16);
            } else {
                value = u32(b, at + 4);
                size = u32(b, at + 8);
                info = b.get(at + 12) & 0xff;
                shndx = u16(b, at + 14);
            }
            String name = string(strings, nameOffset, strtab.name());
            if (versions != null && versions[(int) i] != null) {
                name += versions[(int) i];
            }
            out.add(new ElfSymbol(name, value, size,
                    ElfSymbol.Type.of(info & 0xf), ElfSymbol.Binding.of(info >>> 4), shndx, kind));
        }
    }

    private void stapsdtNotes(ElfSection section, List<StapsdtNote> out) {
        ByteBuffer b = in.read(section.offset(), section.size(), "section " + section.name());
        // Notes are 4-aligned in practice even in ELF64; honour an explicit 8 like libelf does.
        int align = section.alignment() == 8 ? 8 : 4;
        int pos = 0;
        int end = b.limit();
        while (end - pos >= 12) {
            long nameSize = u32(b, pos);
            long descSize = u32(b, pos + 4);
            int type = b.getInt(pos + 8);
            long nameAt = pos + 12L;
            long descAt = alignUp(nameAt + nameSize, align);
            long next = alignUp(descAt + descSize, align);
            if (descAt + descSize > end) {
                throw in.malformed("note at offset " + (section.offset() + pos) + " in "
                        + section.name() + " runs past the end of the section");
            }
            String owner = nameSize == 0 ? ""
                    : text(b, (int) nameAt, nul(b, (int) nameAt, (int) (nameAt + nameSize),
                            section.name()));
            if (type == NT_STAPSDT && owner.equals("stapsdt")) {
                out.add(stapsdt(b, (int) descAt, (int) (descAt + descSize), section));
            }
            pos = (int) Math.min(next, end);
        }
    }

    private StapsdtNote stapsdt(ByteBuffer b, int at, int end, ElfSection section) {
        int word = is64 ? 8 : 4;
        if (end - at < 3 * word) {
            throw in.malformed("stapsdt note at offset " + (section.offset() + at)
                    + " is too short for its three addresses");
        }
        long location = word(b, at);
        long base = word(b, at + word);
        long semaphore = word(b, at + 2 * word);
        int providerEnd = nul(b, at + 3 * word, end, section.name());
        int nameEnd = nul(b, providerEnd + 1, end, section.name());
        // A probe without arguments may omit the third string entirely.
        int argumentsEnd = nameEnd + 1 < end ? nul(b, nameEnd + 1, end, section.name())
                : nameEnd + 1;
        String provider = text(b, at + 3 * word, providerEnd);
        String name = text(b, providerEnd + 1, nameEnd);
        String arguments = text(b, nameEnd + 1, argumentsEnd);
        return new StapsdtNote(provider, name, location, base, semaphore, arguments);
    }

    private byte[] bytes(long offset, long size, String what) {
        return bytes(in, offset, size, what);
    }

    static byte[] bytes(ElfInput in, long offset, long size, String what) {
        ByteBuffer b = in.read(offset, size, what);
        byte[] copy = new byte[b.remaining()];
        b.get(copy);
        return copy;
    }

    String string(byte[] table, int offset, String tableName) {
        return string(in, table, offset, tableName);
    }

    static String string(ElfInput in, byte[] table, int offset, String tableName) {
        if (offset < 0 || offset >= table.length) {
            throw in.malformed("string offset " + Integer.toUnsignedString(offset)
                    + " is outside " + tableName + " (" + table.length + " bytes)");
        }
        int end = offset;
        while (end < table.length && table[end] != 0) {
            end++;
        }
        if (end == table.length) {
            throw in.malformed("unterminated string at offset " + offset + " of " + tableName);
        }
        return new String(table, offset, end - offset, StandardCharsets.UTF_8);
    }

    /** Returns the index of the NUL that ends the string starting at {@code from}. */
    private int nul(ByteBuffer b, int from, int limit, String where) {
        for (int i = from; i < limit; i++) {
            if (b.get(i) == 0) {
                return i;
            }
        }
        throw in.malformed("unterminated string in a note of " + where);
    }

    private static String text(ByteBuffer b, int from, int to) {
        byte[] bytes = new byte[to - from];
        b.get(from, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private long word(ByteBuffer b, int at) {
        return is64 ? b.getLong(at) : u32(b, at);
    }

    private static long u32(ByteBuffer b, int at) {
        return Integer.toUnsignedLong(b.getInt(at));
    }

    private static int u16(ByteBuffer b, int at) {
        return Short.toUnsignedInt(b.getShort(at));
    }

    private static long alignUp(long value, int alignment) {
        return (value + alignment - 1) & -alignment;
    }
}
