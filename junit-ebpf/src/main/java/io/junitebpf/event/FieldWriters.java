package io.junitebpf.event;

import io.junitebpf.btf.BtfMember;
import io.junitebpf.btf.BtfStruct;
import io.junitebpf.btf.BtfType;

import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Builds the writer of one record component into its C member: the inverse of
 * {@link FieldReaders}. The mapping itself was checked by the reader built first,
 * so writers only refuse values that do not fit (a long above a __u32's range,
 * a String longer than its char[N], an array of another length).
 */
final class FieldWriters {

    /** Writes one value at {@code base} + the member's offset. */
    interface FieldWriter {
        void write(ByteBuffer b, int base, Object value);
    }

    private FieldWriters() {
    }

    static FieldWriter forMember(String where, BtfMember member, Class<?> javaType) {
        return writer(where, member.type(), javaType, (int) member.byteOffset());
    }

    /** A writer for a whole value of C type {@code c} at offset 0: map keys and values, globals. */
    static FieldWriter forType(String where, BtfType c, Class<?> javaType) {
        return writer(where, c, javaType, 0);
    }

    private static FieldWriter writer(String where, BtfType c, Class<?> j, int offset) {
        BtfType type = c.resolve();
        return switch (type) {
            case BtfType.Int i -> integer(where, i.size(), i.signed(), offset);
            case BtfType.Enum e -> integer(where, e.size(), e.signed(), offset);
            case BtfType.Pointer p -> (b, base, v) -> b.putLong(base + offset, (Long) v);
            case BtfType.Float f -> f.size() == 8
                    ? (b, base, v) -> b.putDouble(base + offset, ((Number) v).doubleValue())
                    : (b, base, v) -> b.putFloat(base + offset, ((Number) v).floatValue());
            case BtfType.Array a -> array(where, a, j, offset);
            case BtfStruct s -> {
                @SuppressWarnings({"unchecked", "rawtypes"})
                RecordLayout<Record> nested = RecordLayout.of((Class) j, s);
                yield (b, base, v) -> nested.encodeAt(b, base + offset, (Record) v);
            }
            default -> throw new LayoutException(where + ": C type kind " + type.kind() + " is not supported");
        };
    }

    private static FieldWriter integer(String where, int size, boolean signed, int offset) {
        return (b, base, v) -> {
            long raw = switch (v) {
                case Boolean flag -> flag ? 1 : 0;
                case Character ch -> ch;
                case Number n -> n.longValue();
                default -> throw new LayoutException(where + ": cannot encode " + v.getClass().getSimpleName());
            };
            int javaBytes = switch (v) {
                case Byte x -> 1;
                case Short x -> 2;
                case Character x -> 2;
                case Integer x -> 4;
                case Boolean x -> 1;
                default -> 8;
            };
            if (javaBytes > size && !fits(raw, size, signed)) {
                throw new LayoutException(where + ": value " + raw + " does not fit the C " + (signed ? "signed" : "unsigned")
                        + " " + size + "-byte integer");
            }
            switch (size) {
                case 1 -> b.put(base + offset, (byte) raw);
                case 2 -> b.putShort(base + offset, (short) raw);
                case 4 -> b.putInt(base + offset, (int) raw);
                default -> b.putLong(base + offset, raw);
            }
        };
    }

    private static boolean fits(long raw, int size, boolean signed) {
        int bits = size * 8;
        return signed ? raw >= -(1L << (bits - 1)) && raw < (1L << (bits - 1)) : raw >= 0 && raw < (1L << bits);
    }

    private static FieldWriter array(String where, BtfType.Array a, Class<?> j, int offset) {
        BtfType element = a.element().resolve();
        int length = Math.toIntExact(a.length());
        int stride = Math.toIntExact(element.byteSize());
        FieldWriter item = j.isArray() && j != byte[].class ? writer(where + "[]", element, j.getComponentType(), 0)
                : null;
        return (b, base, v) -> {
            if (v instanceof String s) {
                byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
                if (utf8.length > length) {
                    throw new LayoutException(where + ": \"" + s + "\" is " + utf8.length
                            + " bytes in UTF-8, longer than char[" + length + "]");
                }
                b.put(base + offset, new byte[length]);
                b.put(base + offset, utf8);
                return;
            }
            int given = Array.getLength(v);
            if (given != length) {
                throw new LayoutException(where + ": array of " + given + " elements, the C array has " + length
                        + " (pass exactly " + length + ")");
            }
            if (v instanceof byte[] bytes) {
                b.put(base + offset, bytes);
                return;
            }
            for (int k = 0; k < length; k++) {
                item.write(b, base + offset + k * stride, Array.get(v, k));
            }
        };
    }
}
