/**
 * A small, pure-Java reader for the parts of ELF files that attaching uprobes and USDT probes and
 * checking BPF objects need: header, sections, program headers, symbols, relocations of
 * relocatable objects and {@code .note.stapsdt} notes. It is the project's one ELF reader: the BTF
 * reader finds {@code .BTF} through it, and native checks an object with it before libbpf opens it.
 *
 * <p>It deliberately uses no {@code java.lang.foreign}: everything here is deterministic file
 * parsing, kept apart from the libbpf binding so that it can be tested without privileges and
 * without libbpf. Entry point: {@link io.junitebpf.elf.ElfFile}.
 */
package io.junitebpf.elf;
