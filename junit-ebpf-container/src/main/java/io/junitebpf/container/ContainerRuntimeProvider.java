package io.junitebpf.container;

import io.junitebpf.junit.EbpfConfig;
import io.junitebpf.junit.spi.RemoteRuntime;
import io.junitebpf.junit.spi.TestOutcome;
import io.junitebpf.junit.spi.TestRequest;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The container runtime as the extension sees it: listed in {@code META-INF/services}, so that adding this artifact
 * to the test class path is all a user does. One {@link ContainerRuntime} (one container) per container
 * configuration serves every test class of the run; the extension closes this provider at the end of the run.
 */
public final class ContainerRuntimeProvider implements RemoteRuntime {

    private final Map<ContainerConfig, ContainerRuntime> runtimes = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** For {@link java.util.ServiceLoader}. */
    public ContainerRuntimeProvider() {
    }

    @Override
    public String name() {
        return "container";
    }

    @Override
    public Optional<String> problem(EbpfConfig config) {
        return DockerEngine.problem(ContainerConfig.from(config).engineTimeout());
    }

    @Override
    public Session open(String testClass, EbpfConfig config) {
        if (closed) {
            throw new IllegalStateException("container runtime: open " + testClass + ": the provider is closed"
                    + " (the run ended)");
        }
        ContainerRuntime.ClassTests tests = runtimes.computeIfAbsent(ContainerConfig.from(config),
                ContainerRuntime::forConfig).session(testClass);
        return new Session() {
            @Override
            public void prepare() {
                tests.prepare();
            }

            @Override
            public TestOutcome run(TestRequest request) {
                return tests.run(request).toOutcome();
            }

            @Override
            public void close() {
                tests.close();
            }
        };
    }

    /** Removes the run's containers. */
    @Override
    public void close() {
        closed = true;
        runtimes.values().forEach(ContainerRuntime::close);
        runtimes.clear();
    }
}
