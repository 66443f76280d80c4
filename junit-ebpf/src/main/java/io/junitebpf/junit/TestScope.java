package io.junitebpf.junit;

import io.junitebpf.bpf.LoadedObject;
import io.junitebpf.btf.Btf;
import io.junitebpf.event.EventStream;
import io.junitebpf.target.TargetProcess;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one scope (a test method, or a class with PER_CLASS) created: loaded
 * objects, event streams, target processes. Kept in the JUnit store, so JUnit
 * closes it with the scope: links and targets first (no event after its stream
 * closed), then streams, then objects. Closing also runs the strict leak check.
 */
final class TestScope implements AutoCloseable {

    static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create("io.junitebpf");

    /** One loaded object and the BTF its records are checked against. */
    record Loaded(String resource, LoadedObject object, Btf btf) {
    }

    /** A launched target and the name it was launched by ("umark" or a path). */
    record Launched(String name, TargetProcess process) {
    }

    private final String displayName;
    private final Map<String, Loaded> objects = new LinkedHashMap<>();
    private final List<EventStream<?>> streams = new ArrayList<>();
    private final List<Launched> processes = new ArrayList<>();
    private final List<io.junitebpf.bpf.Link> links = new ArrayList<>();
    private final List<io.junitebpf.net.NetworkNamespace> namespaces = new ArrayList<>();
    /** Targets the test method launched itself (TargetProcess.launch), tracked in strict mode only. */
    private final List<TargetProcess> started = new ArrayList<>();
    private final LeakCheck leakCheck;
    private boolean closed;

    private TestScope(String displayName, boolean strict) {
        this.displayName = displayName;
        this.leakCheck = strict ? new LeakCheck(displayName) : null;
    }

    /**
     * The scope of {@code context} itself, created on first use. Keys are the context itself (by identity):
     * a store lookup also searches the parents, and a test must not get its class's scope.
     */
    static TestScope of(ExtensionContext context, boolean strict) {
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(key(context),
                k -> new TestScope(context.getDisplayName(), strict), TestScope.class);
    }

    /** The scope of {@code context} itself (created on first use, e.g. by a constructor parameter). */
    static TestScope current(ExtensionContext context) {
        TestScope existing = context.getStore(NAMESPACE).get(key(context), TestScope.class);
        return existing != null ? existing
                : of(context, Settings.find(context).map(s -> s.strict(context)).orElse(false));
    }

    /** Scopes from the method's outwards, for lookups. */
    static List<TestScope> chain(ExtensionContext context) {
        List<TestScope> chain = new ArrayList<>();
        for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
            TestScope scope = c.get().getStore(NAMESPACE).get(key(c.get()), TestScope.class);
            if (scope != null && !chain.contains(scope)) {
                chain.add(scope);
            }
        }
        return chain;
    }

    /**
     * The key of the scope of {@code context} itself: a store answers from its ancestors' entries too, so each
     * context's scope has a key of its own (the context, by identity: one per test and class run).
     */
    private static ScopeKey key(ExtensionContext context) {
        return new ScopeKey(context);
    }

    private record ScopeKey(ExtensionContext context) {
        @Override
        public boolean equals(Object o) {
            return o instanceof ScopeKey other && other.context == context;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(context);
        }
    }

    private boolean loadedOnce;

    /** True the first time: the caller loads the objects. */
    synchronized boolean markLoaded() {
        if (loadedOnce) {
            return false;
        }
        loadedOnce = true;
        return true;
    }

    synchronized void addObject(Loaded loaded) {
        objects.put(loaded.resource(), loaded);
        if (leakCheck != null) {
            leakCheck.track(loaded.object());
        }
    }

    synchronized List<Loaded> objects() {
        return List.copyOf(objects.values());
    }

    synchronized void addStream(EventStream<?> stream) {
        streams.add(stream);
    }

    synchronized List<EventStream<?>> streams() {
        return List.copyOf(streams);
    }

    synchronized void addProcess(Launched launched) {
        processes.add(launched);
    }

    /** Links made for this scope (declared attachments): detached when it closes, before any object. */
    synchronized void addLink(io.junitebpf.bpf.Link link) {
        links.add(link);
    }

    /** A network namespace made for this scope: deleted last, after the objects detached from its veth. */
    synchronized io.junitebpf.net.NetworkNamespace addNamespace(io.junitebpf.net.NetworkNamespace namespace) {
        namespaces.add(namespace);
        return namespace;
    }

    /**
     * In strict mode, a target the test method launched itself: it must be gone when the scope
     * closes (a leak otherwise, then killed). Ignored once the scope closed (a thread the test
     * started may launch later) and outside strict mode.
     */
    synchronized void addStarted(TargetProcess process) {
        if (leakCheck != null && !closed) {
            started.add(process);
        }
    }

    synchronized List<Launched> processes() {
        return List.copyOf(processes);
    }

    /**
     * Closes links, target processes, streams, objects and network namespaces, in that order; then checks for leaks
     * when strict. Every resource is closed even when one fails; the first failure is thrown with the others
     * suppressed.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        // what the test launched itself and left running is a leak: note it before anything is closed
        List<TargetProcess> leftRunning = started.stream().filter(TargetProcess::isAlive).toList();
        // producers first (links, then targets), so no event lands after its stream closed;
        // then the streams; then the objects, which close their buffers and detach what is left
        List<AutoCloseable> order = new ArrayList<>(links);
        order.addAll(processes.stream().map(Launched::process).toList());
        order.addAll(leftRunning);
        order.addAll(streams);
        order.addAll(objects.values().stream().map(Loaded::object).toList());
        order.addAll(namespaces);
        RuntimeException failure = null;
        for (AutoCloseable resource : order) {
            try {
                resource.close();
            } catch (Exception e) {
                if (failure == null) {
                    // not a configuration mistake: a resource that would not let go
                    failure = new IllegalStateException("junit-ebpf: closing " + resource + " after "
                            + displayName + " failed: " + e.getMessage(), e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (leakCheck != null) {
            leakCheck.verify(processes.stream().map(Launched::process).toList(), leftRunning, namespaces);
        }
        if (failure != null) {
            throw failure;
        }
    }
}
