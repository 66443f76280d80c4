/**
 * junit-ebpf's pure-Java readers: ELF files ({@code io.junitebpf.elf}: header, sections, symbols,
 * relocations, USDT notes, uprobe offsets) and BTF ({@code io.junitebpf.btf}: types, structs,
 * members). No {@code java.lang.foreign}, no JUnit, nothing outside {@code java.base}: the Maven
 * plugin reads BTF through it at build time, and the libbpf binding ({@code io.junitebpf.bpf})
 * checks objects with it before libbpf sees them.
 */
module io.junitebpf.elf {
    exports io.junitebpf.btf;
    exports io.junitebpf.elf;
}
