package io.junitebpf.event;

import io.junitebpf.btf.BtfMember;
import io.junitebpf.btf.BtfStruct;
import io.junitebpf.btf.BtfType;

import java.lang.reflect.Array;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Builds the reader of one record component from its C member, refusing every lossy mapping. */
final class FieldReaders {

    /** Reads one value at {@code base} + the member's offset. */
    interface FieldReader {
        Object read(ByteBuffer b, int base);
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
                yield (b, base) -> nested.construct(b, base + offset);
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
            return (b, base) -> b.get(base + offset) != 0;
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
        return (b, base) -> {
            long raw = switch (size) {
                case 1 -> signed ? b.get(base + offset) : Byte.toUnsignedLong(b.get(base + offset));
                case 2 -> signed ? b.getShort(base + offset) : Short.toUnsignedLong(b.getShort(base + offset));
                case 4 -> signed ? b.getInt(base + offset) : Integer.toUnsignedLong(b.getInt(base + offset));
                default -> b.getLong(base + offset);
            };
            return box(j, raw);
        };
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
