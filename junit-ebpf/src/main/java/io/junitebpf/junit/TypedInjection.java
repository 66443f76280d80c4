package io.junitebpf.junit;

import io.junitebpf.bpf.LoadedObject;
import io.junitebpf.map.TypedGlobal;
import io.junitebpf.map.TypedMap;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.Map;

/** Resolves {@code @Bpf("name") TypedMap<K, V>} (filled by {@link MapFixture}) and {@code @Bpf("name") TypedGlobal<T>}. */
final class TypedInjection {

    private TypedInjection() {
    }

    static boolean supports(Class<?> type) {
        return type == TypedMap.class || type == TypedGlobal.class;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static Object resolve(Class<?> type, Type generic, AnnotatedElement element, String where,
                          ExtensionContext context) {
        Bpf bpf = element.getAnnotation(Bpf.class);
        String kind = type == TypedMap.class ? "map" : "global";
        if (bpf == null || bpf.value().isBlank()) {
            throw new ExtensionConfigurationException(where + ": name the " + kind + ": @Bpf(\"" + kind + "_name\")");
        }
        String name = bpf.value();
        Class<?>[] arguments = typeArguments(generic, type == TypedMap.class ? 2 : 1, where);
        try {
            return view(type, name, arguments, bpf, element, where, context);
        } catch (IllegalArgumentException | io.junitebpf.bpf.BpfException e) {
            throw new ExtensionConfigurationException(where + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object view(Class<?> type, String name, Class<?>[] arguments, Bpf bpf, AnnotatedElement element,
                               String where, ExtensionContext context) {
        if (type == TypedGlobal.class) {
            LoadedObject object = ObjectLookup.find(context, bpf.object(), where, o -> hasGlobal(o, name)).object();
            return TypedGlobal.of(object, name, arguments[0]);
        }
        LoadedObject object = ObjectLookup.find(context, bpf.object(), where, o -> o.mapNames().contains(name))
                .object();
        TypedMap map = TypedMap.of(object, name, arguments[0], arguments[1]);
        MapFixture fixture = element.getAnnotation(MapFixture.class);
        if (fixture != null) {
            map.fill(fixture(context, fixture.value(), where));
        }
        return map;
    }

    private static boolean hasGlobal(LoadedObject object, String name) {
        return object.globals().stream().anyMatch(g -> g.name().equals(name));
    }

    private static Class<?>[] typeArguments(Type generic, int count, String where) {
        if (generic instanceof ParameterizedType pt) {
            Type[] args = pt.getActualTypeArguments();
            if (Arrays.stream(args).allMatch(a -> a instanceof Class<?>)) {
                return Arrays.stream(args).map(a -> (Class<?>) a).toArray(Class<?>[]::new);
            }
        }
        throw new ExtensionConfigurationException(where + ": declare the " + (count == 2 ? "key and value types"
                : "value type") + " as classes, e.g. " + (count == 2 ? "TypedMap<FlowKey, Long>" : "TypedGlobal<Config>")
                + " (records for structs, Integer/Long for __u32/__u64)");
    }

    private static Map<?, ?> fixture(ExtensionContext context, String methodName, String where) {
        Class<?> testClass = context.getRequiredTestClass();
        Method method = null;
        for (Class<?> c = testClass; c != null && method == null; c = c.getSuperclass()) {
            method = Arrays.stream(c.getDeclaredMethods())
                    .filter(m -> m.getName().equals(methodName) && m.getParameterCount() == 0)
                    .findFirst().orElse(null);
        }
        if (method == null || !Modifier.isStatic(method.getModifiers()) || !Map.class.isAssignableFrom(
                method.getReturnType())) {
            throw new ExtensionConfigurationException(where + ": @MapFixture(\"" + methodName + "\"): "
                    + (method == null ? "no method " + methodName + "() in " + testClass.getSimpleName()
                    : methodName + "() must be static and return a java.util.Map")
                    + " (declare static Map<K, V> " + methodName + "() in the test class)");
        }
        try {
            method.setAccessible(true);
            Map<?, ?> entries = (Map<?, ?>) method.invoke(null);
            if (entries == null) {
                throw new ExtensionConfigurationException(where + ": @MapFixture(\"" + methodName + "\"): "
                        + methodName + "() returned null (return an empty map for no entries)");
            }
            return entries;
        } catch (IllegalAccessException e) {
            throw new ExtensionConfigurationException(where + ": @MapFixture(\"" + methodName + "\"): cannot call it ("
                    + e.getMessage() + ")");
        } catch (InvocationTargetException e) {
            throw new ExtensionConfigurationException(where + ": @MapFixture(\"" + methodName + "\"): it threw "
                    + e.getCause(), e.getCause());
        }
    }
}
