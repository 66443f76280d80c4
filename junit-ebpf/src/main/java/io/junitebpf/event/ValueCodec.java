package io.junitebpf.event;

import io.junitebpf.btf.BtfStruct;
import io.junitebpf.btf.BtfType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.Objects;

/**
 * A Java type bound to a C type of a BPF object's BTF, both ways: a record to a
 * struct by {@link RecordLayout}'s rules, or a boxed scalar ({@code Integer} for a
 * {@code __u32}, {@code Long} for a {@code __u64}, ...) by the same width rules.
 * Map keys and values and global variables are read and written through it.
 *
 * @param <T> the Java type
 */
public final class ValueCodec<T> {

    private static final Map<Class<?>, Class<?>> PRIMITIVES = Map.of(Byte.class, byte.class, Short.class,
            short.class, Character.class, char.class, Integer.class, int.class, Long.class, long.class,
            Boolean.class, boolean.class, Float.class, float.class, Double.class, double.class);

    private final Class<T> type;
    private final BtfType cType;
    private final int size;
    private final FieldReaders.FieldReader reader;
    private final FieldWriters.FieldWriter writer;

    private ValueCodec(Class<T> type, BtfType cType, FieldReaders.FieldReader reader,
                       FieldWriters.FieldWriter writer) {
        this.type = type;
        this.cType = cType;
        this.size = Math.toIntExact(cType.byteSize());
        this.reader = reader;
        this.writer = writer;
    }

    /**
     * Binds {@code type} to {@code cType}.
     *
     * @param what names the value in messages, e.g. "map 'counts' key"
     * @throws LayoutException naming {@code what}, the Java and C types, and for records the member and its offset
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static <T> ValueCodec<T> of(Class<T> type, BtfType cType, String what) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(cType, "cType");
        BtfType resolved = cType.resolve();
        try {
            if (type.isRecord()) {
                if (!(resolved instanceof BtfStruct struct) || struct.isUnion()) {
                    throw new LayoutException("record " + type.getSimpleName() + " needs a struct, the C type is "
                            + cType.cTypeName() + " (use " + scalarHint(resolved) + ")");
                }
                RecordLayout layout = RecordLayout.of((Class) type, struct);
                return new ValueCodec<>(type, cType, (b, base) -> layout.construct(b, base),
                        (b, base, v) -> layout.encodeAt(b, base, (Record) v));
            }
            if (resolved instanceof BtfStruct s) {
                throw new LayoutException(type.getSimpleName() + " cannot hold " + s.cTypeName()
                        + " (declare a record whose components name its members: "
                        + String.join(", ", s.members().stream().map(m -> m.name()).toList()) + ")");
            }
            Class<?> javaType = PRIMITIVES.getOrDefault(type, type);
            String where = type.getSimpleName() + " <- " + cType.cTypeName();
            return new ValueCodec<>(type, cType, FieldReaders.forType(where, cType, javaType),
                    FieldWriters.forType(where, cType, javaType));
        } catch (LayoutException e) {
            throw new LayoutException(what + ": " + e.getMessage());
        }
    }

    private static String scalarHint(BtfType c) {
        return c instanceof BtfType.Int i ? (i.size() == 8 ? "Long" : i.size() == 4 ? "Integer" : "a boxed integer")
                : "a matching Java type";
    }

    /** The Java type. */
    public Class<T> type() {
        return type;
    }

    /** The C type. */
    public BtfType cType() {
        return cType;
    }

    /** The C type's size in bytes. */
    public int size() {
        return size;
    }

    /** Decodes a value from exactly {@link #size()} bytes or more (the rest is ignored). */
    public T decode(byte[] bytes) {
        if (bytes.length < size) {
            throw new LayoutException("decode " + cType.cTypeName() + ": " + bytes.length + " bytes, the type has "
                    + size);
        }
        return type.cast(reader.read(ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()), 0));
    }

    /** Encodes {@code value} into {@link #size()} bytes in the machine's byte order. */
    public byte[] encode(T value) {
        Objects.requireNonNull(value, "value");
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
        writer.write(b, 0, value);
        return b.array();
    }

    @Override
    public String toString() {
        return "ValueCodec[" + type.getSimpleName() + " <-> " + cType.cTypeName() + "]";
    }
}
