package io.junitebpf.bpf;

import io.junitebpf.btf.Btf;
import io.junitebpf.btf.BtfException;
import io.junitebpf.elf.ElfException;
import io.junitebpf.elf.ElfFile;
import io.junitebpf.elf.ElfHeader;
import io.junitebpf.elf.ElfSection;
import io.junitebpf.elf.ElfSymbol;

import java.util.List;

/**
 * Checks a BPF object's ELF structure in Java before libbpf sees it.
 *
 * <p>libbpf trusts much of the ELF it opens: a corrupted relocation or symbol
 * index can crash the process inside bpf_object__open_mem (seen with libbpf
 * 1.1.2). An exception here is a clear error; a crash there would take the
 * JVM and every other test with it. The ELF reader decodes and bounds-checks
 * the tables (relocations included); this adds what a BPF object must be.
 */
final class ObjectCheck {

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
        if (h.elfClass() != ElfHeader.ElfClass.ELF64 || h.type() != ElfHeader.Type.REL
                || h.machine() != ElfHeader.EM_BPF) {
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
        for (ElfSymbol sym : file.symbols()) {
            int index = sym.sectionIndex();
            if (index > 0 && index < ElfSymbol.SHN_LORESERVE && index >= sections.size()) {
                throw fail(operation, "symbol " + sym.name() + " refers to section " + index + " of "
                        + sections.size());
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
