/**
 * junit-ebpf's binding to libbpf (Panama FFM) and its pure-Java packet builder. Knows nothing of
 * JUnit. {@code io.junitebpf.bpf.internal}, where every FFM call lives, is not exported. The ELF
 * and BTF readers ({@code io.junitebpf.elf}, {@code io.junitebpf.btf}) are the module
 * {@code io.junitebpf.elf}, read transitively: a user of this module sees them too. On the module
 * path, allow native calls with {@code --enable-native-access=io.junitebpf.bpf}; on the class path
 * the descriptor is ignored and {@code --enable-native-access=ALL-UNNAMED} does it.
 */
module io.junitebpf.bpf {
    requires transitive io.junitebpf.elf;

    exports io.junitebpf.bpf;
    exports io.junitebpf.packet;
}
