package io.junitebpf.junit;

import io.junitebpf.junit.spi.RemoteRuntime;

import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/** The {@link RemoteRuntime}s on the test class path, found with {@link ServiceLoader}, and what to add when one is missing. */
final class RemoteRuntimes {

    /** The container runtime's name. */
    static final String CONTAINER = "container";
    /** The VM runtime's name (chosen by {@value EbpfConfig#KERNEL_PROPERTY_NAME}). */
    static final String VM = "vm";
    /** The artifact that provides each runtime the extension knows by name, for the message when it is missing. */
    private static final Map<String, String> ARTIFACTS = Map.of(CONTAINER, "io.junitebpf:junit-ebpf-container",
            VM, "io.junitebpf:junit-ebpf-vm");

    private RemoteRuntimes() {
    }

    /** The runtime called {@code name}, if its artifact is on the class path. */
    static Optional<RemoteRuntime> find(String name) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        for (RemoteRuntime runtime : ServiceLoader.load(RemoteRuntime.class,
                loader != null ? loader : RemoteRuntimes.class.getClassLoader())) {
            if (runtime.name().equals(name)) {
                return Optional.of(runtime);
            }
        }
        return Optional.empty();
    }

    /** Why the runtime called {@code name} cannot run tests here, or empty when it can. */
    static Optional<String> problem(String name, EbpfConfig config) {
        Optional<RemoteRuntime> runtime;
        try {
            runtime = find(name);
        } catch (ServiceConfigurationError e) {
            return Optional.of("the " + name + " runtime on the class path cannot be loaded: " + e.getMessage());
        }
        return runtime.isPresent() ? runtime.get().problem(config) : Optional.of(missing(name));
    }

    /** "no container runtime on the test class path (add the test dependency io.junitebpf:junit-ebpf-container)". */
    static String missing(String name) {
        return "no " + name + " runtime on the test class path (add the test dependency "
                + ARTIFACTS.getOrDefault(name, "that provides it") + ")";
    }
}
