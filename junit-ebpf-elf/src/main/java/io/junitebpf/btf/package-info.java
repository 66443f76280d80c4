/**
 * A pure-Java reader of BTF, the BPF type format: the types of a BPF object's {@code .BTF}
 * section (found through {@link io.junitebpf.elf.ElfFile}) or of raw BTF such as
 * {@code /sys/kernel/btf/vmlinux}. Entry point: {@link io.junitebpf.btf.Btf}. Used to check Java
 * records against C structs before anything is loaded, and by the Maven plugin to generate them.
 */
package io.junitebpf.btf;
