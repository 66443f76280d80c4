/**
 * A small, pure-Java reader for the parts of ELF files that attaching uprobes and USDT probes
 * needs: header, sections, program headers, symbols and {@code .note.stapsdt} notes.
 *
 * <p>It deliberately uses no {@code java.lang.foreign}: everything here is deterministic file
 * parsing, kept apart from the libbpf binding so that it can be tested without privileges and
 * without libbpf. Entry point: {@link io.junitebpf.elf.ElfFile}.
 */
package io.junitebpf.elf;
