package io.junitebpf.btf;

import java.util.Optional;

/**
 * The kinds of BTF type records, numbered as in the kernel's {@code include/uapi/linux/btf.h}
 * ({@code BTF_KIND_*}), up to {@code BTF_KIND_ENUM64} (Linux 6.0).
 */
public enum BtfKind {
    /** Type id 0: {@code void}; never stored in the type section. */
    VOID(0),
    /** An integer, char or bool. */
    INT(1),
    /** A pointer. */
    PTR(2),
    /** A fixed-length array. */
    ARRAY(3),
    /** A struct. */
    STRUCT(4),
    /** A union. */
    UNION(5),
    /** An enum of up to 32-bit values. */
    ENUM(6),
    /** A forward declaration of a struct or union. */
    FWD(7),
    /** A typedef. */
    TYPEDEF(8),
    /** The {@code volatile} qualifier. */
    VOLATILE(9),
    /** The {@code const} qualifier. */
    CONST(10),
    /** The {@code restrict} qualifier. */
    RESTRICT(11),
    /** A function (name and linkage; its signature is a FUNC_PROTO). */
    FUNC(12),
    /** A function signature. */
    FUNC_PROTO(13),
    /** A global or static variable. */
    VAR(14),
    /** A data section ({@code .data}, {@code .maps}, ...) and the variables in it. */
    DATASEC(15),
    /** A floating-point type. */
    FLOAT(16),
    /** A {@code btf_decl_tag} attribute on a declaration. */
    DECL_TAG(17),
    /** A {@code btf_type_tag} attribute on a pointee type, e.g. {@code __user}. */
    TYPE_TAG(18),
    /** An enum of up to 64-bit values. */
    ENUM64(19);

    private static final BtfKind[] BY_CODE = values();

    private final int code;

    BtfKind(int code) {
        this.code = code;
    }

    /** The kernel's {@code BTF_KIND_*} number. */
    public int code() {
        return code;
    }

    /** The kind with this {@code BTF_KIND_*} number, empty for numbers this reader does not know. */
    public static Optional<BtfKind> of(int code) {
        // Declaration order equals code order, so the ordinal is the code.
        return code >= 0 && code < BY_CODE.length ? Optional.of(BY_CODE[code]) : Optional.empty();
    }
}
