package io.junitebpf.container;

import java.nio.file.Path;
import java.util.List;

/**
 * The JVM {@link ContainerOrphanTest} kills: starts a runtime container as the container runtime does, prints
 * "container ID" and "ready", then waits to be killed. Not a test: a main class run in a forked JVM.
 */
final class ContainerOrphanScenario {

    private ContainerOrphanScenario() {
    }

    public static void main(String[] args) throws Exception {
        DockerAvailable.assumeEngine(); // probes the engine, as the runtime does before it starts containers
        ContainerConfig config = DockerAvailable.config();
        PrivilegedContainer container = PrivilegedContainer.start(config.image().orElseThrow(), config.privileges(),
                ContainerOrphanScenario.class.getName(), List.of(Path.of(System.getProperty("java.home"))), List.of());
        System.out.println("container " + container.id());
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(600_000);
    }
}
