package io.junitebpf.btf;

import java.util.List;
import java.util.Optional;

/**
 * One type of a BTF blob, as C declared it.
 *
 * <p>Types that refer to others ({@link Typedef}, {@link Qualifier}, {@link Pointer},
 * {@link Array}, struct members) keep the declared reference, so {@link #cTypeName()} can say
 * {@code __u64} where the C source said {@code __u64}; {@link #resolve()} strips typedefs and
 * qualifiers down to what decides the layout. Identity is the type id within its {@link Btf}.
 */
public sealed interface BtfType permits BtfType.Void, BtfType.Int, BtfType.Pointer, BtfType.Array,
        BtfStruct, BtfType.Enum, BtfType.Float, BtfType.Typedef, BtfType.Qualifier, BtfType.Other {

    /** The BTF type id; 0 is {@code void}. */
    int id();

    /** The BTF kind of this type. */
    BtfKind kind();

    /** The declared name; empty for anonymous types, pointers, arrays and qualifiers. */
    String name();

    /** The type as C would spell it, for messages: {@code __u64}, {@code char[16]}, {@code struct task_info}. */
    String cTypeName();

    /** The size in bytes, or -1 for types without one (void, functions, forward declarations). */
    long byteSize();

    /** This type with typedefs, {@code const}, {@code volatile}, {@code restrict} and type tags stripped. */
    default BtfType resolve() {
        BtfType t = this;
        // The parser rejected cyclic chains, so this walk ends.
        while (true) {
            switch (t) {
                case Typedef d -> t = d.target();
                case Qualifier q -> t = q.target();
                default -> {
                    return t;
                }
            }
        }
    }

    /** {@code void}: type id 0, the target of {@code void *} and the return of void functions. */
    final class Void implements BtfType {
        static final Void INSTANCE = new Void();

        private Void() {
        }

        @Override public int id() { return 0; }
        @Override public BtfKind kind() { return BtfKind.VOID; }
        @Override public String name() { return "void"; }
        @Override public String cTypeName() { return "void"; }
        @Override public long byteSize() { return -1; }
        @Override public String toString() { return "[0] void"; }
    }

    /**
     * An integer ({@code BTF_KIND_INT}): {@code int}, {@code unsigned long long}, {@code char},
     * {@code _Bool}.
     */
    final class Int implements BtfType {
        private final int id;
        private final String name;
        private final int size;
        private final boolean signed;
        private final boolean isChar;
        private final boolean isBool;
        private final int bitOffset;
        private final int bits;

        Int(int id, String name, int size, boolean signed, boolean isChar, boolean isBool, int bitOffset, int bits) {
            this.id = id;
            this.name = name;
            this.size = size;
            this.signed = signed;
            this.isChar = isChar;
            this.isBool = isBool;
            this.bitOffset = bitOffset;
            this.bits = bits;
        }

        @Override public int id() { return id; }
        @Override public BtfKind kind() { return BtfKind.INT; }
        @Override public String name() { return name; }
        @Override public String cTypeName() { return name; }
        @Override public long byteSize() { return size; }

        /** The size in bytes: 1, 2, 4, 8 or 16. */
        public int size() { return size; }

        /** Whether the value is signed ({@code BTF_INT_SIGNED}); clang sets it for plain {@code char}. */
        public boolean signed() { return signed; }

        /**
         * Whether this is a character type: {@code BTF_INT_CHAR} is set, or it is a one-byte
         * {@code char}, {@code signed char} or {@code unsigned char}. The name matters because
         * clang encodes plain {@code char} as a signed int without the CHAR flag.
         */
        public boolean isChar() { return isChar; }

        /** Whether this is {@code _Bool} ({@code BTF_INT_BOOL}). */
        public boolean isBool() { return isBool; }

        /** {@code BTF_INT_OFFSET}: the bit where the value starts; 0 in what compilers emit today. */
        public int bitOffset() { return bitOffset; }

        /** {@code BTF_INT_BITS}: how many bits hold the value; less than {@code 8 * size} for old-style bitfields. */
        public int bits() { return bits; }

        @Override public String toString() {
            return "[" + id + "] INT '" + name + "' size=" + size + (signed ? " signed" : " unsigned") + " bits=" + bits;
        }
    }

    /** A pointer ({@code BTF_KIND_PTR}); 8 bytes, as BPF and the kernels this project targets are 64-bit. */
    final class Pointer implements BtfType {
        private final int id;
        private final TypeTable table;
        private final int targetId;

        Pointer(int id, TypeTable table, int targetId) {
            this.id = id;
            this.table = table;
            this.targetId = targetId;
        }

        @Override public int id() { return id; }
        @Override public BtfKind kind() { return BtfKind.PTR; }
        @Override public String name() { return ""; }
        @Override public long byteSize() { return 8; }

        /** The pointee as declared (may be a typedef, qualifier or {@link Void}). */
        public BtfType target() { return table.get(targetId); }

        @Override public String cTypeName() {
            BtfType target = target();
            if (target.resolve() instanceof Other o && o.kind() == BtfKind.FUNC_PROTO) {
                return "function pointer";
            }
            return target.cTypeName() + " *";
        }

        @Override public String toString() { return "[" + id + "] PTR -> [" + targetId + "]"; }
    }

    /** A fixed-length array ({@code BTF_KIND_ARRAY}), e.g. {@code char comm[16]}. */
    final class Array implements BtfType {
        private final int id;
        private final TypeTable table;
        private final int elementId;
        private final int length;

        Array(int id, TypeTable table, int elementId, int length) {
            this.id = id;
            this.table = table;
            this.elementId = elementId;
            this.length = length;
        }

        @Override public int id() { return id; }
        @Override public BtfKind kind() { return BtfKind.ARRAY; }
        @Override public String name() { return ""; }

        /** The element type as declared; for {@code int a[2][3]} it is the array {@code int[3]}. */
        public BtfType element() { return table.get(elementId); }

        /** The number of elements; {@code nelems} is unsigned 32-bit, so it can exceed {@code int}. */
        public long length() { return Integer.toUnsignedLong(length); }

        @Override public long byteSize() {
            long elementSize = element().byteSize();
            return elementSize < 0 ? -1 : elementSize * length();
        }

        @Override public String cTypeName() {
            // C writes the outer dimension first: int[2][3] is an array of 2 arrays of 3 ints.
            StringBuilder dims = new StringBuilder();
            BtfType t = this;
            while (t instanceof Array a) {
                dims.append('[').append(a.length()).append(']');
                t = a.element();
            }
            return t.cTypeName() + dims;
        }

        @Override public String toString() { return "[" + id + "] ARRAY [" + elementId + "] x " + length(); }
    }

    /** An enum ({@code BTF_KIND_ENUM} or {@code BTF_KIND_ENUM64}). */
    final class Enum implements BtfType {
        private final int id;
        private final BtfKind kind;
        private final String name;
        private final int size;
        private final boolean signed;
        private final List<Enumerator> values;

        Enum(int id, BtfKind kind, String name, int size, boolean signed, List<Enumerator> values) {
            this.id = id;
            this.kind = kind;
            this.name = name;
            this.size = size;
            this.signed = signed;
            this.values = List.copyOf(values);
        }

        /**
         * One enumerator.
         *
         * @param name  its name
         * @param value its value; for an unsigned 64-bit enum, read it with {@link Long#toUnsignedString(long)}
         */
        public record Enumerator(String name, long value) {
        }

        @Override public int id() { return id; }
        @Override public BtfKind kind() { return kind; }
        @Override public String name() { return name; }
        @Override public String cTypeName() { return "enum " + (name.isEmpty() ? "(anon)" : name); }
        @Override public long byteSize() { return size; }

        /** The size in bytes of a value of this enum. */
        public int size() { return size; }

        /** Whether the values are signed (the kind flag; BTF before Linux 6.0 did not say, and reads unsigned). */
        public boolean signed() { return signed; }

        /** The enumerators in declaration order. */
        public List<Enumerator> values() { return values; }

        @Override public String toString() { return "[" + id + "] " + kind + " '" + name + "' size=" + size; }
    }

    /** A floating-point type ({@code BTF_KIND_FLOAT}): {@code float}, {@code double}. */
    final class Float implements BtfType {
        private final int id;
        private final String name;
        private final int size;

        Float(int id, String name, int size) {
            this.id = id;
            this.name = name;
            this.size = size;
        }

        @Override public int id() { return id; }
        @Override public BtfKind kind() { return BtfKind.FLOAT; }
        @Override public String name() { return name; }
        @Override public String cTypeName() { return name; }
        @Override public long byteSize() { return size; }

        /** The size in bytes. */
        public int size() { return size; }

        @Override public String toString() { return "[" + id + "] FLOAT '" + name + "' size=" + size; }
    }

    /** A typedef ({@code BTF_KIND_TYPEDEF}), e.g. {@code __u64}; kept so messages use the source's names. */
    final class Typedef implements BtfType {
        private final int id;
        private final String name;
        private final TypeTable table;
        private final int targetId;

        Typedef(int id, String name, TypeTable table, int targetId) {
            this.id = id;
            this.name = name;
            this.table = table;
            this.targetId = targetId;
        }

        @Override public int id() { return id; }
        @Override public BtfKind kind() { return BtfKind.TYPEDEF; }
        @Override public String name() { return name; }
        @Override public String cTypeName() { return name; }
        @Override public long byteSize() { return target().byteSize(); }

        /** The aliased type as declared (possibly another typedef). */
        public BtfType target() { return table.get(targetId); }

        @Override public String toString() { return "[" + id + "] TYPEDEF '" + name + "' -> [" + targetId + "]"; }
    }

    /**
     * A qualifier that does not change the layout: {@code const}, {@code volatile},
     * {@code restrict}, or a {@code btf_type_tag} such as {@code __user} (whose tag is the name).
     */
    final class Qualifier implements BtfType {
        private final int id;
        private final BtfKind kind;
        private final String name;
        private final TypeTable table;
        private final int targetId;

        Qualifier(int id, BtfKind kind, String name, TypeTable table, int targetId) {
            this.id = id;
            this.kind = kind;
            this.name = name;
            this.table = table;
            this.targetId = targetId;
        }

        @Override public int id() { return id; }
        @Override public BtfKind kind() { return kind; }
        @Override public String name() { return name; }
        @Override public long byteSize() { return target().byteSize(); }

        /** The qualified type as declared. */
        public BtfType target() { return table.get(targetId); }

        @Override public String cTypeName() {
            String target = target().cTypeName();
            return switch (kind) {
                case CONST -> "const " + target;
                case VOLATILE -> "volatile " + target;
                case RESTRICT -> target + " restrict";
                // Type tags annotate pointees for the verifier; C readers do not see them.
                default -> target;
            };
        }

        @Override public String toString() { return "[" + id + "] " + kind + " -> [" + targetId + "]"; }
    }

    /**
     * A type that never lays out a record field: a forward declaration, function, function
     * prototype, variable, data section or declaration tag. Kept so that every id resolves.
     */
    final class Other implements BtfType {
        private final int id;
        private final BtfKind kind;
        private final String name;
        private final boolean kindFlag;
        private final long size;
        private final TypeTable table;
        private final int targetId;

        Other(int id, BtfKind kind, String name, boolean kindFlag, long size, TypeTable table, int targetId) {
            this.id = id;
            this.kind = kind;
            this.name = name;
            this.kindFlag = kindFlag;
            this.size = size;
            this.table = table;
            this.targetId = targetId;
        }

        @Override public int id() { return id; }
        @Override public BtfKind kind() { return kind; }
        @Override public String name() { return name; }

        /** The size of a DATASEC; -1 for every other kind. */
        @Override public long byteSize() { return size; }

        /**
         * The type this one is about: a FUNC's prototype, a FUNC_PROTO's return type, a VAR's
         * type, a DECL_TAG's target; empty for FWD and DATASEC.
         */
        public Optional<BtfType> target() {
            return targetId < 0 ? Optional.empty() : Optional.of(table.get(targetId));
        }

        @Override public String cTypeName() {
            return switch (kind) {
                case FWD -> (kindFlag ? "union " : "struct ") + name;
                case FUNC -> name + "()";
                case FUNC_PROTO -> "function";
                default -> name;
            };
        }

        @Override public String toString() { return "[" + id + "] " + kind + " '" + name + "'"; }
    }
}
