package io.junitebpf.container;

import io.junitebpf.junit.EbpfConfig;
import io.junitebpf.junit.spi.RemoteRuntime;
import io.junitebpf.junit.spi.TestOutcome;
import io.junitebpf.junit.spi.TestRequest;

import java.util.Optional;

/**
 * The container runtime as the extension sees it: listed in {@code META-INF/services}, so that adding this artifact
 * to the test class path is all a user does. One {@link ContainerRuntime} (one container) per test class.
 */
public final class ContainerRuntimeProvider implements RemoteRuntime {

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
        ContainerRuntime runtime = ContainerRuntime.forTestClass(testClass, ContainerConfig.from(config));
        return new Session() {
            @Override
            public TestOutcome run(TestRequest request) {
                return runtime.run(request).toOutcome();
            }

            @Override
            public void close() {
                runtime.close();
            }
        };
    }
}
