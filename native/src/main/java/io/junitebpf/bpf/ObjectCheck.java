package io.junitebpf.bpf;

import io.junitebpf.btf.Btf;
import io.junitebpf.btf.BtfException;
import io.junitebpf.elf.ElfException;
import io.junitebpf.elf.ElfFile;
import io.junitebpf.elf.ElfHeader;
import io.junitebpf.elf.ElfSection;
import io.junitebpf.elf.ElfSymbol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Checks a BPF object's ELF structure in Java before libbpf sees it.
 *
 * <p>libbpf trusts much of the ELF it opens: a corrupted relocation or symbol
 * index can crash the process inside bpf_object__open_mem (seen with libbpf
 * 1.1.2). An exception here is a clear error; a crash there would take the
 * JVM and every other test with it.
 */
final class ObjectCheck {

    private static final int EM_BPF = 247;
    private static final int SHT_REL = 9;
    private static final int REL_SIZE = 16;

    private ObjectCheck() {
    }

    static void check(byte[] elf, String what) {
        String operation = "open object " + what;
        ElfFile file;
        try {
            file = ElfFile.parse(elf, what);
        } catch (ElfException e) {
            throw new BpfException(operation, "malformed ELF: " + e.getMessage(), 0, List.of(), e);
        }
        ElfHeader h = file.header();
        if (h.elfClass() != ElfHeader.ElfClass.ELF64 || h.type() != ElfHeader.Type.REL || h.machine() != EM_BPF) {
            throw fail(operation, "not a BPF object: " + h.elfClass() + " " + h.type() + " for machine "
                    + h.machineName() + " (expected ELF64 REL for BPF; compile with clang -target bpf -c)");
        }
        List<ElfSection> sections = file.sections();
        for (ElfSection s : sections) {
            if (s.type() != ElfSection.SHT_NOBITS && (s.offset() < 0 || s.size() < 0
                    || s.offset() + s.size() > elf.length)) {
                throw fail(operation, "section " + s.name() + " lies outside the file (truncated or corrupt)");
            }
        }
        long symbols = sections.stream().filter(s -> s.type() == ElfSection.SHT_SYMTAB)
                .mapToLong(s -> s.size() / 24).sum();
        for (ElfSymbol sym : file.symbols()) {
            int index = sym.sectionIndex();
            if (index > 0 && index < 0xff00 && index >= sections.size()) {
                throw fail(operation, "symbol " + sym.name() + " refers to section " + index + " of "
                        + sections.size());
            }
        }
        ByteBuffer b = ByteBuffer.wrap(elf).order(h.byteOrder() == null ? ByteOrder.LITTLE_ENDIAN : h.byteOrder());
        for (ElfSection s : sections) {
            if (s.type() != SHT_REL) {
                continue;
            }
            if (s.size() % REL_SIZE != 0 || s.info() <= 0 || s.info() >= sections.size() || s.offset() + s.size() > elf.length) {
                throw fail(operation, "relocation section " + s.name() + " is malformed");
            }
            ElfSection target = sections.get((int) s.info());
            for (long at = s.offset(); at < s.offset() + s.size(); at += REL_SIZE) {
                long offset = b.getLong((int) at);
                long symbol = b.getLong((int) at + 8) >>> 32;
                if (offset < 0 || offset >= target.size() || symbol >= symbols) {
                    throw fail(operation, "relocation in " + s.name() + " points outside " + target.name()
                            + " or at a missing symbol (corrupt object)");
                }
            }
        }
        if (file.section(".BTF").isPresent()) {
            try {
                Btf.parse(what, elf);
            } catch (BtfException e) {
                throw new BpfException(operation, "corrupt BTF: " + e.getMessage(), 0, List.of(), e);
            }
        }
    }

    private static BpfException fail(String operation, String detail) {
        return new BpfException(operation, detail, 0, List.of());
    }
}
