package io.junitebpf.event;

import io.junitebpf.btf.Btf;
import io.junitebpf.btf.CNames;
import io.junitebpf.btf.BtfMember;
import io.junitebpf.btf.BtfStruct;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.RecordComponent;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A Java record bound to a C struct of a BPF object's BTF, checked once and
 * then used to decode every event.
 *
 * <p>Each record component is matched by name to a struct member: the
 * component's name, its snake-case form, or {@link CMember}. Members the
 * record leaves out are skipped. The check refuses any decoding that could
 * give a wrong value: a Java type narrower than the C type, a nested record
 * for a non-struct, an array length mismatch, a bitfield. Accepted mappings:
 * <ul>
 *   <li>integers: {@code byte/short/int/long} at least as wide as the C type;
 *       an unsigned C type into a Java type of the same width keeps the bits
 *       (read a {@code __u64} into {@code long}, compare with {@code Long.compareUnsigned});
 *       {@code boolean} for {@code bool}/{@code _Bool}; {@code char} for a 1- or 2-byte unsigned;</li>
 *   <li>{@code char[N]} → {@link String} (up to the first NUL, UTF-8) or {@code byte[]};</li>
 *   <li>arrays → Java arrays of a matching element type, same length;</li>
 *   <li>nested structs → nested records, checked the same way;</li>
 *   <li>enums → {@code int} or {@code long}; pointers → {@code long};
 *       {@code float}/{@code double} → the same Java type.</li>
 * </ul>
 *
 * @param <T> the record type
 */
public final class RecordLayout<T extends Record> {

    /** The decoder passes (buffer, base) once per component through one method handle of at most 255 slots. */
    static final int MAX_COMPONENTS = 120;

    private final Class<T> type;
    private final BtfStruct struct;
    private final List<FieldWriters.FieldWriter> writers;
    private final List<MethodHandle> accessors;
    /**
     * {@code (ByteBuffer, int)Object}: the canonical constructor fed by every member's reader,
     * composed once, so a decode boxes no component and builds no argument array.
     */
    private final MethodHandle decoder;

    private RecordLayout(Class<T> type, BtfStruct struct, List<FieldWriters.FieldWriter> writers,
                         List<MethodHandle> accessors, MethodHandle decoder) {
        this.type = type;
        this.struct = struct;
        this.writers = writers;
        this.accessors = accessors;
        this.decoder = decoder;
    }

    /** Binds {@code type} to the struct named by {@link CStruct} or by convention, in {@code btf}. */
    public static <T extends Record> RecordLayout<T> of(Class<T> type, Btf btf) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(btf, "btf");
        String name = structName(type);
        BtfStruct struct = btf.struct(name).orElseThrow(() -> new LayoutException("record " + type.getSimpleName()
                + ": no struct '" + name + "' in the BTF of " + btf.source() + " (structs: "
                + String.join(", ", btf.structNames()) + "; name it with @CStruct, and keep a struct that is only written"
                + " to a ring buffer in BTF with JUNIT_EBPF_EVENT(struct " + name + ") from junit_ebpf.h)"));
        return of(type, struct);
    }

    /** Binds {@code type} to {@code struct}, checking every component. */
    public static <T extends Record> RecordLayout<T> of(Class<T> type, BtfStruct struct) {
        if (!type.isRecord()) {
            throw new LayoutException(type.getName() + " is not a record (event types must be Java records)");
        }
        RecordComponent[] components = type.getRecordComponents();
        if (components.length > MAX_COMPONENTS) {
            throw new LayoutException("record " + type.getSimpleName() + " has " + components.length
                    + " components: at most " + MAX_COMPONENTS + " are supported (group members in nested records)");
        }
        List<FieldReaders.FieldReader> readers = new ArrayList<>(components.length);
        List<FieldWriters.FieldWriter> writers = new ArrayList<>(components.length);
        Class<?>[] parameterTypes = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            parameterTypes[i] = c.getType();
            BtfMember member = member(type, struct, c);
            readers.add(FieldReaders.forMember(type, struct, member, c.getType(), c.getGenericType(),
                    c.getName()));
            writers.add(FieldWriters.forMember(FieldReaders.where(type, struct, member, c.getType(), c.getName()),
                    member, c.getType()));
        }
        try {
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
            MethodHandle ctor = lookup.findConstructor(type,
                    java.lang.invoke.MethodType.methodType(void.class, parameterTypes));
            List<MethodHandle> accessors = new ArrayList<>(components.length);
            for (RecordComponent c : components) {
                accessors.add(lookup.unreflect(c.getAccessor()));
            }
            return new RecordLayout<>(type, struct, writers, accessors, decoder(ctor, readers, parameterTypes));
        } catch (ReflectiveOperationException e) {
            throw new LayoutException("record " + type.getName() + ": cannot access its canonical constructor ("
                    + e.getMessage() + "; make the record and its package readable to junit-ebpf)");
        }
    }

    /** The record type. */
    public Class<T> type() {
        return type;
    }

    /** The C struct. */
    public BtfStruct struct() {
        return struct;
    }

    /** The struct's size: the least a record must have. */
    public int size() {
        return struct.size();
    }

    /**
     * Decodes one event from {@code bytes} starting at its position. The buffer
     * is read, never kept.
     *
     * @throws LayoutException when the buffer is shorter than the struct
     */
    public T decode(ByteBuffer bytes) {
        return decode(bytes, bytes.position(), bytes.remaining());
    }

    /**
     * Decodes one event from the {@code length} bytes of {@code bytes} at {@code offset}, whatever the
     * buffer's position: a record as a {@link io.junitebpf.bpf.RecordHandler} gets it, in a view shared by
     * the other records. The buffer is read, never kept or moved.
     *
     * @throws LayoutException           when the record is shorter than the struct
     * @throws IndexOutOfBoundsException when the record does not lie within the buffer's limit
     */
    public T decode(ByteBuffer bytes, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, bytes.limit());
        // readers use absolute indexes and leave the buffer as it is: a copy only to change the order
        ByteBuffer b = bytes.order() == ByteOrder.nativeOrder() ? bytes : bytes.duplicate().order(ByteOrder.nativeOrder());
        if (length < struct.size()) {
            throw new LayoutException("decode struct " + struct.name() + ": record of " + length
                    + " bytes is shorter than the struct's " + struct.size()
                    + " (the program wrote a different struct?)");
        }
        return construct(b, offset);
    }

    /**
     * Encodes {@code value} in the struct's layout: {@link #size()} bytes in the
     * machine's byte order, members the record leaves out and padding zero.
     *
     * @throws LayoutException naming the component when a value does not fit its member
     */
    public byte[] encode(T value) {
        java.util.Objects.requireNonNull(value, "value");
        ByteBuffer b = ByteBuffer.allocate(struct.size()).order(ByteOrder.nativeOrder());
        encodeAt(b, 0, value);
        return b.array();
    }

    void encodeAt(ByteBuffer b, int base, T value) {
        for (int i = 0; i < writers.size(); i++) {
            Object component;
            try {
                component = accessors.get(i).invoke(value);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
            if (component == null) {
                throw new LayoutException("encode record " + type.getSimpleName() + ": component '"
                        + type.getRecordComponents()[i].getName() + "' is null (every member needs a value)");
            }
            writers.get(i).write(b, base, component);
        }
    }

    /** Feeds each parameter of {@code ctor} from its reader, all reading the same (buffer, base). */
    private static MethodHandle decoder(MethodHandle ctor, List<FieldReaders.FieldReader> readers,
                                       Class<?>[] parameterTypes) {
        int n = parameterTypes.length;
        if (n == 0) {
            return MethodHandles.dropArguments(ctor.asType(MethodType.methodType(Object.class)), 0, ByteBuffer.class,
                    int.class);
        }
        MethodHandle[] filters = new MethodHandle[n];
        int[] reorder = new int[2 * n];
        for (int i = 0; i < n; i++) {
            filters[i] = readers.get(i).handle(parameterTypes[i]);
            reorder[2 * i + 1] = 1;
        }
        // (p1..pn) -> ((ByteBuffer, int) x n) -> (ByteBuffer, int)
        MethodHandle spread = MethodHandles.collectArguments(ctor, 0, filters[0]);
        for (int i = 1; i < n; i++) {
            spread = MethodHandles.collectArguments(spread, 2 * i, filters[i]);
        }
        MethodType target = MethodType.methodType(Object.class, ByteBuffer.class, int.class);
        return MethodHandles.permuteArguments(spread.asType(spread.type().changeReturnType(Object.class)), target,
                reorder);
    }

    MethodHandle decoder() {
        return decoder;
    }

    T construct(ByteBuffer b, int base) {
        try {
            return type.cast((Object) decoder.invokeExact(b, base));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static String structName(Class<?> type) {
        CStruct named = type.getAnnotation(CStruct.class);
        return named != null ? named.value() : CNames.snakeCase(type.getSimpleName());
    }

    private static BtfMember member(Class<?> type, BtfStruct struct, RecordComponent c) {
        CMember named = c.getAnnotation(CMember.class);
        if (named != null) {
            return struct.member(named.value()).orElseThrow(() -> missing(type, struct, c.getName(),
                    "@CMember(\"" + named.value() + "\")"));
        }
        return struct.member(c.getName())
                .or(() -> struct.member(CNames.snakeCase(c.getName())))
                .orElseThrow(() -> missing(type, struct, c.getName(), null));
    }

    private static LayoutException missing(Class<?> type, BtfStruct struct, String component, String how) {
        return new LayoutException("record " + type.getSimpleName() + " component '" + component + "'"
                + (how == null ? "" : " " + how) + ": struct " + struct.name() + " has no such member (members: "
                + String.join(", ", struct.members().stream().map(BtfMember::name).toList()) + ")");
    }

    @Override
    public String toString() {
        return "RecordLayout[" + type.getSimpleName() + " <- struct " + struct.name() + "]";
    }
}
