package io.junitebpf.elf;

/**
 * One entry of a {@code SHT_REL} or {@code SHT_RELA} section of a relocatable object: "patch the
 * bytes at {@code offset} of section {@code targetSection} with the address of symbol
 * {@code symbolIndex}". For a BPF object these are the map, global-data and call references that
 * libbpf resolves when it loads the object.
 *
 * <p>The parser has checked each entry against the file: the target section exists, the offset
 * lies inside it, and the symbol index is inside the linked symbol table.
 *
 * @param section index of the relocation section that holds the entry (e.g. {@code .rel.text})
 * @param targetSection index of the section patched ({@code sh_info} of the relocation section)
 * @param offset {@code r_offset}: byte offset inside the target section
 * @param symbolIndex index of the symbol in the linked symbol table ({@code ELF_R_SYM}); the raw
 *     table index, which counts the unnamed entries {@link ElfFile#symbols()} leaves out
 * @param type machine-specific relocation type ({@code ELF_R_TYPE}), e.g. {@code R_BPF_64_64}
 * @param addend {@code r_addend} of {@code SHT_RELA} entries; 0 for {@code SHT_REL}
 */
public record ElfRelocation(int section, int targetSection, long offset, int symbolIndex,
        int type, long addend) {
}
