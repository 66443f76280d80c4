package io.junitebpf.map;

import io.junitebpf.btf.Btf;
import io.junitebpf.btf.BtfKind;
import io.junitebpf.btf.BtfMember;
import io.junitebpf.btf.BtfStruct;
import io.junitebpf.btf.BtfType;

import java.util.Optional;

/**
 * The BTF types of a map's key and value and of a global variable, read from
 * the object's BTF the way libbpf reads them: a map defined in {@code .maps} is a
 * VAR whose struct has {@code key} and {@code value} pointer members
 * ({@code __type(key, ...)}); a global is a VAR in a data section.
 */
final class MapTypes {

    private MapTypes() {
    }

    /** The type pointed to by member {@code key} or {@code value} of map {@code map}'s definition, if declared. */
    static Optional<BtfType> member(Btf btf, String map, String member) {
        return variable(btf, map)
                .filter(t -> t.resolve() instanceof BtfStruct s && s.member("type").isPresent())
                .flatMap(t -> ((BtfStruct) t.resolve()).member(member))
                .map(BtfMember::type)
                .map(BtfType::resolve)
                .filter(t -> t instanceof BtfType.Pointer)
                .map(t -> ((BtfType.Pointer) t).target());
    }

    /** The declared type of the VAR named {@code name}. */
    static Optional<BtfType> variable(Btf btf, String name) {
        for (BtfType t : btf.types()) {
            if (t.kind() == BtfKind.VAR && t.name().equals(name) && t instanceof BtfType.Other var) {
                return var.target();
            }
        }
        return Optional.empty();
    }
}
