package io.junitebpf.junit;

import io.junitebpf.bpf.BpfMap;
import io.junitebpf.bpf.LoadedObject;
import io.junitebpf.bpf.Program;
import io.junitebpf.event.EventSource;
import io.junitebpf.event.EventStream;
import io.junitebpf.event.RecordLayout;
import io.junitebpf.target.TargetProcess;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Resolves test parameters: the loaded object, programs and maps by
 * {@link Bpf}, typed event streams by {@link Events}, and targets by {@link Launch}.
 */
final class EbpfParameterResolver implements ParameterResolver {

    static final int DEFAULT_CAPACITY = 100_000;

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == LoadedObject.class || type == Program.class || type == BpfMap.class
                || (type == EventStream.class && parameter.isAnnotated(Events.class))
                || (type == TargetProcess.class && parameter.isAnnotated(Launch.class));
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Parameter p = parameter.getParameter();
        String where = "parameter " + p.getName() + " (" + p.getParameterizedType().getTypeName() + ") of "
                + parameter.getDeclaringExecutable().getName();
        try {
            Class<?> type = p.getType();
            Bpf bpf = parameter.findAnnotation(Bpf.class).orElse(null);
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
            if (type == EventStream.class) {
                return stream(context, parameter.findAnnotation(Events.class).orElseThrow(), p, where);
            }
            return Targets.launch(context, parameter.findAnnotation(Launch.class).orElseThrow());
        } catch (ExtensionConfigurationException | io.junitebpf.event.LayoutException e) {
            throw new ParameterResolutionException(where + ": " + e.getMessage(), e);
        }
    }

    private static String required(Bpf bpf, String where, String what) {
        if (bpf == null || bpf.value().isBlank()) {
            throw new ExtensionConfigurationException(where + ": name " + what);
        }
        return bpf.value();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static EventStream<?> stream(ExtensionContext context, Events events, Parameter p, String where) {
        Type generic = p.getParameterizedType();
        if (!(generic instanceof ParameterizedType pt) || !(pt.getActualTypeArguments()[0] instanceof Class<?> c)
                || !c.isRecord()) {
            throw new ExtensionConfigurationException(where + ": declare the event type as a record, "
                    + "e.g. EventStream<MyEvent> with record MyEvent(...)");
        }
        TestScope.Loaded loaded = ObjectLookup.find(context, events.object(), where,
                o -> o.mapNames().contains(events.value()));
        RecordLayout<?> layout = RecordLayout.of((Class) c, loaded.btf());
        int capacity = events.capacity() > 0 ? events.capacity()
                : EbpfConfig.positiveInt(context, EbpfConfig.STREAM_CAPACITY_PROPERTY_NAME, DEFAULT_CAPACITY);
        EventStream<?> stream = EventStream.open(ringSource(loaded.object(), events.value(), loaded.resource()),
                (RecordLayout) layout, capacity);
        for (TestScope.Launched launched : TestScope.chain(context).getFirst().processes()) {
            TargetProcess process = launched.process();
            stream.failFastWhen("target " + process + " died", () -> Targets.died(process));
        }
        TestScope.chain(context).getFirst().addStream(stream);
        return stream;
    }

    private static EventSource ringSource(LoadedObject object, String map, String resource) {
        io.junitebpf.bpf.RingBuffer ring = object.ringBuffer(map);
        return new EventSource() {
            @Override
            public int poll(Duration timeout, Consumer<ByteBuffer> handler) {
                return ring.poll(timeout, handler);
            }

            @Override
            public String describe() {
                return "ring buffer '" + map + "' of " + resource;
            }

            @Override
            public void close() {
                ring.close();
            }
        };
    }
}
