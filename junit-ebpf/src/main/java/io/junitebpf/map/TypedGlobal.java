package io.junitebpf.map;

import io.junitebpf.bpf.BpfObject;
import io.junitebpf.bpf.GlobalVariable;
import io.junitebpf.bpf.LoadedObject;
import io.junitebpf.btf.Btf;
import io.junitebpf.btf.BtfType;
import io.junitebpf.event.LayoutException;
import io.junitebpf.event.ValueCodec;

import java.util.Objects;

/**
 * A global variable of a BPF object ({@code .bss}, {@code .data}, {@code .rodata})
 * read and written as a Java type checked against its BTF type: a record for a
 * struct, {@code Integer} for a {@code __u32}, and so on. From a {@link BpfObject}
 * it sets the initial value load copies into the kernel (the way to configure
 * {@code const volatile} .rodata); from a {@link LoadedObject} it reads and writes
 * the kernel's memory, where .rodata is frozen.
 *
 * @param <T> the Java type
 */
public final class TypedGlobal<T> {

    private final GlobalVariable variable;
    private final ValueCodec<T> codec;

    private TypedGlobal(GlobalVariable variable, ValueCodec<T> codec) {
        this.variable = variable;
        this.codec = codec;
    }

    /** Global {@code name} of a loaded object, as {@code type}. */
    public static <T> TypedGlobal<T> of(LoadedObject object, String name, Class<T> type) {
        Objects.requireNonNull(object, "object");
        return of(object.global(name), object.btf(), type);
    }

    /** Global {@code name} of an object before load (its initial value), as {@code type}. */
    public static <T> TypedGlobal<T> of(BpfObject object, String name, Class<T> type) {
        Objects.requireNonNull(object, "object");
        return of(object.global(name), object.btf(), type);
    }

    private static <T> TypedGlobal<T> of(GlobalVariable variable, Btf btf, Class<T> type) {
        Objects.requireNonNull(type, "type");
        String what = "global '" + variable.name() + "' (" + variable.section() + ")";
        BtfType cType = MapTypes.variable(btf, variable.name()).orElseThrow(() -> new LayoutException(what
                + ": no BTF variable of that name (compile the BPF C with clang -g)"));
        ValueCodec<T> codec = ValueCodec.of(type, cType, what);
        if (codec.size() != variable.size()) {
            throw new LayoutException(what + ": BTF type of " + codec.size() + " bytes, the variable has "
                    + variable.size());
        }
        return new TypedGlobal<>(variable, codec);
    }

    /** The variable underneath, for byte-level access. */
    public GlobalVariable variable() {
        return variable;
    }

    /** Its current value. */
    public T get() {
        return codec.decode(variable.bytes());
    }

    /**
     * Replaces its value.
     *
     * @throws IllegalStateException when the section is frozen (.rodata after load)
     */
    public void set(T value) {
        variable.setBytes(codec.encode(value));
    }

    @Override
    public String toString() {
        return "TypedGlobal[" + variable.name() + " in " + variable.section() + " as " + codec.type().getSimpleName()
                + "]";
    }
}
