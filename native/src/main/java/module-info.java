/**
 * junit-ebpf's binding to libbpf (Panama FFM) and its pure-Java ELF, BTF and packet readers and
 * builders. Knows nothing of JUnit. {@code io.junitebpf.bpf.internal}, where every FFM call lives,
 * is not exported. On the module path, allow its native calls with
 * {@code --enable-native-access=io.junitebpf.bpf}; on the class path the descriptor is ignored and
 * {@code --enable-native-access=ALL-UNNAMED} does it.
 */
module io.junitebpf.bpf {
    exports io.junitebpf.bpf;
    exports io.junitebpf.btf;
    exports io.junitebpf.elf;
    exports io.junitebpf.packet;
}
