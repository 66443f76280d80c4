package io.junitebpf.event;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;

/** Finds the process id in an event record: a {@code tgid} or {@code pid} component, possibly nested. */
final class ProcessIds {

    interface Extractor {
        long pid(Object event);
    }

    private ProcessIds() {
    }

    static Extractor extractor(Class<?> type) {
        List<RecordComponent> path = find(type, 0);
        if (path == null) {
            throw new LayoutException("record " + type.getSimpleName()
                    + " has no 'tgid' or 'pid' component (also not in a nested record): cannot filter by process");
        }
        return event -> {
            Object value = event;
            try {
                for (RecordComponent c : path) {
                    var accessor = c.getAccessor();
                    accessor.setAccessible(true);
                    value = accessor.invoke(value);
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            return ((Number) value).longValue();
        };
    }

    private static List<RecordComponent> find(Class<?> type, int depth) {
        if (!type.isRecord() || depth > 4) {
            return null;
        }
        for (String name : new String[] {"tgid", "pid"}) {
            for (RecordComponent c : type.getRecordComponents()) {
                if (c.getName().equals(name) && (c.getType() == int.class || c.getType() == long.class)) {
                    return new ArrayList<>(List.of(c));
                }
            }
        }
        for (RecordComponent c : type.getRecordComponents()) {
            List<RecordComponent> nested = find(c.getType(), depth + 1);
            if (nested != null) {
                nested.addFirst(c);
                return nested;
            }
        }
        return null;
    }
}
