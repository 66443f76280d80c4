package io.junitebpf.btf;

/**
 * The id-indexed types of one BTF blob, shared by every type that refers to another.
 *
 * <p>References are kept as ids and looked up here instead of being wired as object references,
 * because BTF types refer forward and in cycles (a struct holding a pointer to itself). The parser
 * fills the table once, after checking that every id in the blob is in range and that no chain of
 * typedefs, qualifiers, arrays and pointers loops, so a lookup never fails afterwards.
 */
final class TypeTable {

    private BtfType[] types = new BtfType[0];

    void fill(BtfType[] parsed) {
        types = parsed;
    }

    BtfType get(int id) {
        return types[id];
    }

    int size() {
        return types.length;
    }
}
