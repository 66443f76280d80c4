package io.junitebpf.container;

import com.github.dockerjava.api.DockerClient;
import org.testcontainers.DockerClientFactory;

import java.util.Optional;

/**
 * The Docker engine as Testcontainers finds it (DOCKER_HOST, {@code docker.host} in
 * {@code ~/.testcontainers.properties}, the default socket, ...), probed once per JVM.
 *
 * <p>Two Testcontainers settings are read from the environment only (version 1.21): without a registry,
 * {@code TESTCONTAINERS_RYUK_DISABLED=true} is needed because the Ryuk image cannot be pulled. junit-ebpf
 * does not rely on Ryuk: it labels its containers and removes them itself ({@link ContainerReaper}).
 */
public final class DockerEngine {

    private static final System.Logger LOG = System.getLogger(DockerEngine.class.getName());
    private static volatile Optional<String> problem;

    private DockerEngine() {
    }

    /** Why no Docker engine is usable, or empty when one answers. Probed once; later calls are free. */
    public static Optional<String> problem() {
        Optional<String> known = problem;
        if (known == null) {
            synchronized (DockerEngine.class) {
                known = problem;
                if (known == null) {
                    known = probe();
                    problem = known;
                }
            }
        }
        return known;
    }

    /** The client, once {@link #problem()} is empty. */
    static DockerClient client() {
        problem().ifPresent(p -> {
            throw new ContainerException("container runtime: " + p, null);
        });
        return DockerClientFactory.instance().client();
    }

    private static Optional<String> probe() {
        try {
            DockerClient client = DockerClientFactory.instance().client();
            String version = client.versionCmd().exec().getVersion();
            LOG.log(System.Logger.Level.INFO, "Docker engine {0} answers", version);
            ContainerReaper.removeOrphans(client);
            return Optional.empty();
        } catch (RuntimeException | LinkageError e) {
            String detail = rootMessage(e);
            if (detail.toLowerCase(java.util.Locale.ROOT).contains("ryuk")
                    || String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("ryuk")) {
                return Optional.of("Testcontainers could not start its Ryuk container (" + detail
                        + "); without a registry set TESTCONTAINERS_RYUK_DISABLED=true — junit-ebpf removes its"
                        + " containers by label itself");
            }
            return Optional.of("no Docker engine reachable (" + detail + "; start one, e.g. scripts/docker-engine,"
                    + " or point DOCKER_HOST or docker.host in ~/.testcontainers.properties at it)");
        }
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String first = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        if (root == e || root.getMessage() == null) {
            return first;
        }
        String last = root.getMessage().strip();
        return first.contains(last) ? first : first + ": " + last;
    }
}
