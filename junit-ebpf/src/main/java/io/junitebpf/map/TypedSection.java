package io.junitebpf.map;

import io.junitebpf.bpf.BpfObject;
import io.junitebpf.bpf.GlobalVariable;
import io.junitebpf.bpf.LoadedObject;
import io.junitebpf.btf.Btf;
import io.junitebpf.event.CMember;
import io.junitebpf.event.LayoutException;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A data section ({@code .bss}, {@code .data}, {@code .rodata}) read and written
 * as one record whose components are its global variables, matched by name (the
 * component's, its snake-case form, or {@link CMember}); each is checked like a {@link TypedGlobal}.
 * Variables the record leaves out are neither read nor written.
 *
 * <pre>{@code
 * record Data(Settings settings) { }
 * TypedSection<Data> data = TypedSection.of(bpf, ".data", Data.class);
 * data.set(new Data(new Settings(25, "custom")));
 * }</pre>
 *
 * @param <T> the record type
 */
public final class TypedSection<T extends Record> {

    private final String section;
    private final Class<T> type;
    private final List<TypedGlobal<?>> globals;
    private final List<MethodHandle> accessors;
    private final MethodHandle constructor;

    private TypedSection(String section, Class<T> type, List<TypedGlobal<?>> globals, List<MethodHandle> accessors,
                         MethodHandle constructor) {
        this.section = section;
        this.type = type;
        this.globals = globals;
        this.accessors = accessors;
        this.constructor = constructor;
    }

    /** Section {@code section} of a loaded object as {@code type}. */
    public static <T extends Record> TypedSection<T> of(LoadedObject object, String section, Class<T> type) {
        Objects.requireNonNull(object, "object");
        return of(object.globals(), object.btf(), name -> TypedGlobal.of(object, name.name(), name.type()), section,
                type);
    }

    /** Section {@code section} of an object before load (its initial values) as {@code type}. */
    public static <T extends Record> TypedSection<T> of(BpfObject object, String section, Class<T> type) {
        Objects.requireNonNull(object, "object");
        return of(object.globals(), object.btf(), name -> TypedGlobal.of(object, name.name(), name.type()), section,
                type);
    }

    private record Wanted(String name, Class<?> type) {
    }

    private static <T extends Record> TypedSection<T> of(List<GlobalVariable> variables, Btf btf,
                                                        Function<Wanted, TypedGlobal<?>> global, String section,
                                                        Class<T> type) {
        Objects.requireNonNull(section, "section");
        Objects.requireNonNull(type, "type");
        List<String> inSection = variables.stream().filter(v -> v.section().equals(section))
                .map(GlobalVariable::name).toList();
        if (inSection.isEmpty()) {
            throw new IllegalArgumentException("view section " + section + " of " + btf.source() + ": no variables"
                    + " there (sections: " + String.join(", ", variables.stream().map(GlobalVariable::section)
                    .distinct().toList()) + ")");
        }
        List<TypedGlobal<?>> globals = new ArrayList<>();
        List<MethodHandle> accessors = new ArrayList<>();
        RecordComponent[] components = type.getRecordComponents();
        Class<?>[] parameters = new Class<?>[components.length];
        try {
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
            for (int i = 0; i < components.length; i++) {
                RecordComponent c = components[i];
                CMember named = c.getAnnotation(CMember.class);
                String snake = c.getName().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
                String name = named != null ? named.value() : inSection.contains(c.getName()) ? c.getName() : snake;
                if (!inSection.contains(name)) {
                    throw new LayoutException("record " + type.getSimpleName() + " component '" + c.getName()
                            + "': section " + section + " has no variable '" + name + "' (variables: "
                            + String.join(", ", inSection) + ")");
                }
                parameters[i] = c.getType();
                globals.add(global.apply(new Wanted(name, box(c.getType()))));
                accessors.add(lookup.unreflect(c.getAccessor()));
            }
            MethodHandle ctor = lookup.findConstructor(type, MethodType.methodType(void.class, parameters));
            return new TypedSection<>(section, type, globals, accessors,
                    ctor.asSpreader(Object[].class, components.length));
        } catch (ReflectiveOperationException e) {
            throw new LayoutException("record " + type.getName() + ": cannot access its components or constructor ("
                    + e.getMessage() + "; make the record readable to junit-ebpf)");
        }
    }

    private static Class<?> box(Class<?> c) {
        return MethodType.methodType(c).wrap().returnType();
    }

    /** The section's current values. */
    public T get() {
        Object[] values = globals.stream().map(TypedGlobal::get).toArray();
        try {
            return type.cast(constructor.invoke(values));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * Writes every component to its variable.
     *
     * @throws IllegalStateException when the section is frozen (.rodata after load)
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void set(T value) {
        Objects.requireNonNull(value, "value");
        for (int i = 0; i < globals.size(); i++) {
            try {
                ((TypedGlobal) globals.get(i)).set(accessors.get(i).invoke(value));
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }
    }

    @Override
    public String toString() {
        return "TypedSection[" + section + " as " + type.getSimpleName() + "]";
    }
}
