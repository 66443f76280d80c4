package io.junitebpf.event;

import io.junitebpf.btf.BtfMember;
import io.junitebpf.btf.BtfStruct;
import io.junitebpf.btf.BtfType;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Builds the reader of one record component from its C member, refusing every lossy mapping. */
final class FieldReaders {

    /** Reads one value at {@code base} + the member's offset. */
    interface FieldReader {
        Object read(ByteBuffer b, int base);

        /**
         * The same read as a method handle of type {@code (ByteBuffer, int)javaType}: what a
         * record's decoder is built from. Integer members override it so that they are read
         * without boxing; this default boxes (and unboxes in the cast).
         */
        default MethodHandle handle(Class<?> javaType) {
            return READ.bindTo(this).asType(MethodType.methodType(javaType, ByteBuffer.class, int.class));
        }
    }

    private static final MethodHandle READ;
    private static final MethodHandle RAW_INTEGER;
    private static final MethodHandle BOOL;
    static final MethodHandle ADD;

    static {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        try {
            READ = lookup.findVirtual(FieldReader.class, "read",
                    MethodType.methodType(Object.class, ByteBuffer.class, int.class));
            RAW_INTEGER = lookup.findStatic(FieldReaders.class, "rawInteger", MethodType.methodType(long.class,
                    ByteBuffer.class, int.class, int.class, int.class, boolean.class));
            BOOL = lookup.findStatic(FieldReaders.class, "bool",
                    MethodType.methodType(boolean.class, ByteBuffer.class, int.class, int.class));
            ADD = lookup.findStatic(FieldReaders.class, "add", MethodType.methodType(int.class, int.class, int.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** An integer member: read and widened (or kept, for an unsigned of the same width) without boxing. */
    private record IntegerReader(int offset, int size, boolean signed, Class<?> javaType) implements FieldReader {
        @Override
        public Object read(ByteBuffer b, int base) {
            return box(javaType, rawInteger(b, base, offset, size, signed));
        }

        @Override
        public MethodHandle handle(Class<?> type) {
            MethodHandle raw = MethodHandles.insertArguments(RAW_INTEGER, 2, offset, size, signed);
            // long to the component's type: the check allowed only widths that keep every value
            return MethodHandles.explicitCastArguments(raw, MethodType.methodType(type, ByteBuffer.class, int.class));
        }
    }

    private record BoolReader(int offset) implements FieldReader {
        @Override
        public Object read(ByteBuffer b, int base) {
            return bool(b, base, offset);
        }

        @Override
        public MethodHandle handle(Class<?> type) {
            return MethodHandles.insertArguments(BOOL, 2, offset);
        }
    }

    /** A nested struct: its record's own decoder, at the member's offset. */
    private record NestedReader(RecordLayout<?> nested, int offset) implements FieldReader {
        @Override
        public Object read(ByteBuffer b, int base) {
            return nested.construct(b, base + offset);
        }

        @Override
        public MethodHandle handle(Class<?> type) {
            MethodHandle at = MethodHandles.filterArguments(nested.decoder(), 1,
                    MethodHandles.insertArguments(ADD, 1, offset));
            return at.asType(MethodType.methodType(type, ByteBuffer.class, int.class));
        }
    }

    private static long rawInteger(ByteBuffer b, int base, int offset, int size, boolean signed) {
        int at = base + offset;
        return switch (size) {
            case 1 -> signed ? b.get(at) : Byte.toUnsignedLong(b.get(at));
            case 2 -> signed ? b.getShort(at) : Short.toUnsignedLong(b.getShort(at));
            case 4 -> signed ? b.getInt(at) : Integer.toUnsignedLong(b.getInt(at));
            default -> b.getLong(at);
        };
    }

    private static boolean bool(ByteBuffer b, int base, int offset) {
        return b.get(base + offset) != 0;
    }

    private static int add(int a, int b) {
        return a + b;
    }

    private FieldReaders() {
    }

    static FieldReader forMember(Class<?> record, BtfStruct struct, BtfMember member, Class<?> javaType,
                                 Type genericType, String component) {
        String where = where(record, struct, member, javaType, component);
        if (member.isBitfield()) {
            throw new LayoutException(where + ": bitfields are not supported (read the containing integer)");
        }
        if (member.bitOffset() % 8 != 0) {
            throw new LayoutException(where + ": member is not byte aligned");
        }
        return reader(where, member.type(), javaType, (int) member.byteOffset());
    }

    /** Names a component and its member for messages: record, component, Java type, struct, member, C type, offset. */
    static String where(Class<?> record, BtfStruct struct, BtfMember member, Class<?> javaType, String component) {
        return "record " + record.getSimpleName() + " component '" + component + "' ("
                + javaType.getSimpleName() + ") <- struct " + struct.name() + " member '" + member.name() + "' ("
                + member.cTypeName() + " at offset " + member.byteOffset() + ")";
    }

    /** A reader for a whole value of C type {@code c} at offset 0 (map keys and values, globals), checked like a member. */
    static FieldReader forType(String where, BtfType c, Class<?> javaType) {
        return reader(where, c, javaType, 0);
    }

    private static FieldReader reader(String where, BtfType c, Class<?> j, int offset) {
        BtfType type = c.resolve();
        return switch (type) {
            case BtfType.Int i -> integer(where, i.size(), i.signed(), i.isBool(), j, offset);
            case BtfType.Enum e -> integer(where, e.size(), e.signed(), false, j, offset);
            case BtfType.Pointer p -> {
                if (j != long.class) {
                    throw mismatch(where, "a pointer decodes only into long");
                }
                yield (b, base) -> b.getLong(base + offset);
            }
            case BtfType.Float f -> floating(where, f.size(), j, offset);
            case BtfType.Array a -> array(where, a, j, offset);
            case BtfStruct s -> {
                if (s.isUnion() || !j.isRecord()) {
                    throw mismatch(where, s.isUnion() ? "unions are not supported"
                            : "a nested struct decodes into a nested record");
                }
                @SuppressWarnings({"unchecked", "rawtypes"})
                RecordLayout<?> nested = RecordLayout.of((Class) j, s);
                yield new NestedReader(nested, offset);
            }
            default -> throw mismatch(where, "C type kind " + type.kind() + " is not supported");
        };
    }

    private static FieldReader integer(String where, int size, boolean signed, boolean bool, Class<?> j,
                                       int offset) {
        if (size != 1 && size != 2 && size != 4 && size != 8) {
            throw mismatch(where, "integer of " + size + " bytes");
        }
        if (j == boolean.class) {
            if (size != 1) {
                throw mismatch(where, "boolean needs a 1-byte C bool");
            }
            return new BoolReader(offset);
        }
        int width = javaWidth(j);
        if (width < 0) {
            throw mismatch(where, "an integer decodes into byte, short, char, int or long");
        }
        if (width < size) {
            throw mismatch(where, "Java " + j.getSimpleName() + " (" + width + " bytes) is narrower than the C "
                    + (signed ? "signed" : "unsigned") + " " + size + "-byte integer; use "
                    + (size == 8 ? "long" : size == 4 ? "int or long" : "a wider type"));
        }
        if (j == char.class && signed) {
            throw mismatch(where, "char is unsigned; the C type is signed");
        }
        return new IntegerReader(offset, size, signed, j);
    }

    private static int javaWidth(Class<?> j) {
        if (j == byte.class) {
            return 1;
        }
        if (j == short.class || j == char.class) {
            return 2;
        }
        if (j == int.class) {
            return 4;
        }
        return j == long.class ? 8 : -1;
    }

    private static Object box(Class<?> j, long raw) {
        if (j == byte.class) {
            return (byte) raw;
        }
        if (j == short.class) {
            return (short) raw;
        }
        if (j == char.class) {
            return (char) raw;
        }
        if (j == int.class) {
            return (int) raw;
        }
        return raw;
    }

    private static FieldReader floating(String where, int size, Class<?> j, int offset) {
        if (j == double.class && (size == 8 || size == 4)) {
            return size == 8 ? (b, base) -> b.getDouble(base + offset) : (b, base) -> (double) b.getFloat(base + offset);
        }
        if (j == float.class && size == 4) {
            return (b, base) -> b.getFloat(base + offset);
        }
        throw mismatch(where, "a " + size + "-byte float decodes into " + (size == 4 ? "float or double" : "double"));
    }

    private static FieldReader array(String where, BtfType.Array a, Class<?> j, int offset) {
        BtfType element = a.element().resolve();
        int length = Math.toIntExact(a.length());
        boolean bytes = element instanceof BtfType.Int i && i.size() == 1;
        if (j == String.class) {
            if (!bytes) {
                throw mismatch(where, "String needs a char[N] member");
            }
            return (b, base) -> cString(b, base + offset, length);
        }
        if (j == byte[].class && bytes) {
            return (b, base) -> {
                byte[] out = new byte[length];
                b.get(base + offset, out);
                return out;
            };
        }
        if (!j.isArray()) {
            throw mismatch(where, "a C array decodes into a Java array" + (bytes ? ", byte[] or String" : ""));
        }
        int stride = Math.toIntExact(element.byteSize());
        Class<?> component = j.getComponentType();
        FieldReader item = reader(where + "[]", element, component, 0);
        return (b, base) -> {
            Object out = Array.newInstance(component, length);
            for (int k = 0; k < length; k++) {
                Array.set(out, k, item.read(b, base + offset + k * stride));
            }
            return out;
        };
    }

    private static String cString(ByteBuffer b, int at, int max) {
        int len = 0;
        while (len < max && b.get(at + len) != 0) {
            len++;
        }
        byte[] raw = new byte[len];
        b.get(at, raw);
        return new String(raw, StandardCharsets.UTF_8);
    }

    private static LayoutException mismatch(String where, String why) {
        return new LayoutException(where + ": " + why);
    }
}
