package io.junitebpf.junit;

import io.junitebpf.bpf.BpfMap;
import io.junitebpf.bpf.LoadedObject;
import io.junitebpf.bpf.Program;
import io.junitebpf.event.EventSource;
import io.junitebpf.event.EventSources;
import io.junitebpf.event.EventStream;
import io.junitebpf.event.RecordLayout;
import io.junitebpf.target.TargetProcess;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;

/**
 * Resolves test parameters: the loaded object, programs and maps by
 * {@link Bpf} (typed maps and globals through {@link TypedInjection}), typed event streams by {@link Events}, targets by {@link Launch}, and a private
 * {@link io.junitebpf.net.NetworkNamespace} per parameter.
 */
final class EbpfParameterResolver implements ParameterResolver {

    static final int DEFAULT_CAPACITY = 100_000;

    /** Constructor parameters get the test method's context, so per-method objects load for that test. */
    @Override
    public ExtensionContextScope getTestInstantiationExtensionContextScope(ExtensionContext rootContext) {
        return ExtensionContextScope.TEST_METHOD;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return supports(parameter.getParameter().getType(), parameter.getParameter());
    }

    static boolean supports(Class<?> type, AnnotatedElement annotations) {
        return type == LoadedObject.class || type == Program.class || type == BpfMap.class
                || (type == EventStream.class && annotations.isAnnotationPresent(Events.class))
                || (type == TargetProcess.class && annotations.isAnnotationPresent(Launch.class))
                || type == io.junitebpf.net.NetworkNamespace.class || TypedInjection.supports(type);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (RuntimeSelection.remote(context)) {
            return null; // the test runs in a remote runtime, which resolves its own parameters
        }
        Parameter p = parameter.getParameter();
        String where = "parameter " + p.getName() + " (" + p.getParameterizedType().getTypeName() + ") of "
                + parameter.getDeclaringExecutable().getName();
        try {
            return resolve(p.getType(), p.getParameterizedType(), p, where, context);
        } catch (ExtensionConfigurationException | io.junitebpf.event.LayoutException e) {
            throw new ParameterResolutionException(where + ": " + e.getMessage(), e);
        }
    }

    /** Sets the test instance's fields that carry {@link Bpf}, {@link Events} or {@link Launch}. */
    static void injectFields(Object instance, ExtensionContext context) {
        for (Class<?> c = instance.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                boolean marked = field.isAnnotationPresent(Bpf.class) || field.isAnnotationPresent(Events.class)
                        || field.isAnnotationPresent(Launch.class);
                if (!marked || java.lang.reflect.Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                String where = "field " + c.getSimpleName() + "." + field.getName();
                if (!supports(field.getType(), field)) {
                    throw new ExtensionConfigurationException(where + ": junit-ebpf cannot inject a "
                            + field.getType().getSimpleName() + " (LoadedObject, Program, BpfMap, TypedMap, "
                            + "TypedGlobal, EventStream with @Events, TargetProcess with @Launch)");
                }
                try {
                    field.setAccessible(true);
                    field.set(instance, resolve(field.getType(), field.getGenericType(), field, where, context));
                } catch (IllegalAccessException e) {
                    throw new ExtensionConfigurationException(where + ": cannot set it (" + e.getMessage() + ")");
                }
            }
        }
    }

    private static Object resolve(Class<?> type, Type generic, AnnotatedElement element, String where,
                                  ExtensionContext context) {
        Bpf bpf = element.getAnnotation(Bpf.class);
        if (type == LoadedObject.class) {
            String resource = bpf == null ? "" : !bpf.object().isBlank() ? bpf.object() : bpf.value();
            return ObjectLookup.find(context, resource, where, o -> true).object();
        }
        if (type == Program.class) {
            String name = required(bpf, where, "the program's name: @Bpf(\"func_name\")");
            return Attachments.program(context, bpf.object(), name, where);
        }
        if (type == BpfMap.class) {
            String name = required(bpf, where, "the map's name: @Bpf(\"map_name\")");
            return ObjectLookup.find(context, bpf.object(), where, o -> o.mapNames().contains(name)).object()
                    .map(name);
        }
        if (TypedInjection.supports(type)) {
            return TypedInjection.resolve(type, generic, element, where, context);
        }
        if (type == EventStream.class) {
            return stream(context, element.getAnnotation(Events.class), generic, where);
        }
        if (type == io.junitebpf.net.NetworkNamespace.class) {
            return TestScope.current(context).addNamespace(io.junitebpf.net.NetworkNamespace.create());
        }
        return Targets.launch(context, element.getAnnotation(Launch.class));
    }

    private static String required(Bpf bpf, String where, String what) {
        if (bpf == null || bpf.value().isBlank()) {
            throw new ExtensionConfigurationException(where + ": name " + what);
        }
        return bpf.value();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static EventStream<?> stream(ExtensionContext context, Events events, Type generic, String where) {
        if (!(generic instanceof ParameterizedType pt) || !(pt.getActualTypeArguments()[0] instanceof Class<?> c)
                || !c.isRecord()) {
            throw new ExtensionConfigurationException(where + ": declare the event type as a record, "
                    + "e.g. EventStream<MyEvent> with record MyEvent(...)");
        }
        TestScope.Loaded loaded = ObjectLookup.find(context, events.object(), where,
                o -> o.mapNames().contains(events.value()));
        RecordLayout<?> layout = RecordLayout.of((Class) c, loaded.btf());
        int capacity = events.capacity() > 0 ? events.capacity()
                : EbpfConfig.of(context).positiveInt(EbpfConfig.STREAM_CAPACITY_PROPERTY_NAME, DEFAULT_CAPACITY);
        EventStream<?> stream = EventStream.open(ringSource(loaded.object(), events.value(), loaded.resource()),
                (RecordLayout) layout, capacity);
        for (TestScope.Launched launched : TestScope.current(context).processes()) {
            TargetProcess process = launched.process();
            stream.producedBy(Targets.end(process));
        }
        TestScope.current(context).addStream(stream);
        return stream;
    }

    /** A ring buffer, or a perf event array (kernels before 5.8, and the article's perf-buffer loaders). */
    private static EventSource ringSource(LoadedObject object, String map, String resource) {
        if (object.map(map).type() == io.junitebpf.bpf.MapType.PERF_EVENT_ARRAY) {
            return EventSources.of(object.perfBuffer(map), "perf buffer '" + map + "' of " + resource);
        }
        return EventSources.of(object.ringBuffer(map), "ring buffer '" + map + "' of " + resource);
    }
}
