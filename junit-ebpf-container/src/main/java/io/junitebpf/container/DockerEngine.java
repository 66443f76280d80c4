package io.junitebpf.container;

import com.github.dockerjava.api.DockerClient;
import org.testcontainers.DockerClientFactory;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The Docker engine as Testcontainers finds it (DOCKER_HOST, {@code docker.host} in
 * {@code ~/.testcontainers.properties}, the default socket, ...), probed once per JVM.
 *
 * <p>Two Testcontainers settings are read from the environment only (Testcontainers 2.0, {@code System.getenv}; not
 * from {@code ~/.testcontainers.properties}): without a registry {@code TESTCONTAINERS_RYUK_DISABLED=true}
 * (the Ryuk image cannot be pulled), and inside a container {@code TESTCONTAINERS_HOST_OVERRIDE=localhost}
 * (else it looks for the engine's address with a helper image). Without them Testcontainers retries pulls for
 * minutes; the probe gives up after {@value ContainerConfig#ENGINE_TIMEOUT_PROPERTY_NAME} and says which one is missing.
 * junit-ebpf does not rely on Ryuk: it labels its containers and removes them itself ({@link ContainerReaper}).
 */
final class DockerEngine {

    private static final String RYUK_HINT = "where no registry is reachable set TESTCONTAINERS_RYUK_DISABLED=true"
            + " (an environment variable: Testcontainers reads it nowhere else); junit-ebpf removes its"
            + " containers by label itself";
    private static final System.Logger LOG = System.getLogger(DockerEngine.class.getName());
    /**
     * Testcontainers and docker-java log every connection step at INFO, the Ryuk banner at WARNING, and each refused
     * start attempt — expected when {@code --privileged} falls back to capabilities — at ERROR with a stack trace
     * (through SLF4J to java.util.logging here). junit-ebpf says what went wrong in its own messages, with the root
     * cause, so unless the logging configuration names a level for them they speak only at SEVERE, and the
     * per-container loggers ({@code tc.IMAGE}) not at all. Held: java.util.logging keeps loggers weakly.
     */
    private static final List<java.util.logging.Logger> QUIETED = Stream.of(
                    Map.entry("org.testcontainers", java.util.logging.Level.SEVERE),
                    Map.entry("com.github.dockerjava", java.util.logging.Level.SEVERE),
                    Map.entry("tc", java.util.logging.Level.OFF))
            .filter(e -> java.util.logging.LogManager.getLogManager().getProperty(e.getKey() + ".level") == null)
            .map(e -> {
                java.util.logging.Logger logger = java.util.logging.Logger.getLogger(e.getKey());
                logger.setLevel(e.getValue());
                return logger;
            })
            .toList();
    private static volatile Optional<String> problem;

    private DockerEngine() {
    }

    /**
     * Why no Docker engine is usable, or empty when one answers. Probed once, waiting at most {@code timeout}
     * for Testcontainers to connect; later calls are free.
     */
    static Optional<String> problem(Duration timeout) {
        Optional<String> known = problem;
        if (known == null) {
            synchronized (DockerEngine.class) {
                known = problem;
                if (known == null) {
                    known = probe(timeout);
                    problem = known;
                }
            }
        }
        return known;
    }

    /** The client, once {@link #problem} is empty. */
    static DockerClient client() {
        Optional<String> known = problem;
        if (known == null) {
            throw new IllegalStateException("container runtime: the Docker engine was not probed yet");
        }
        known.ifPresent(p -> {
            throw new ContainerException("container runtime: " + p, null);
        });
        return DockerClientFactory.instance().client();
    }

    private static Optional<String> probe(Duration timeout) {
        // Testcontainers can wait minutes before failing (Ryuk or helper image pulls retried until pull.timeout
        // where no registry answers): connect on a daemon thread and give up after a bounded wait
        CompletableFuture<Optional<String>> connect = new CompletableFuture<>();
        Thread connector = Thread.ofPlatform().daemon().name("junit-ebpf docker probe").start(() -> {
            try {
                connect.complete(connect());
            } catch (Throwable e) {
                connect.complete(Optional.of(explain(e)));
            }
        });
        try {
            return connect.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return Optional.of(stuck(connector, timeout));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while connecting to the Docker engine");
        } catch (ExecutionException e) {
            return Optional.of(explain(e.getCause()));
        }
    }

    private static Optional<String> connect() {
        DockerClient client = DockerClientFactory.instance().client();
        String version = client.versionCmd().exec().getVersion();
        LOG.log(System.Logger.Level.INFO, "Docker engine {0} answers", version);
        int removed = ContainerReaper.removeOrphans(client);
        if (removed > 0) {
            LOG.log(System.Logger.Level.INFO, "removed {0} container(s) left by killed JVMs", removed);
        }
        return Optional.empty();
    }

    private static String explain(Throwable e) {
        String detail = rootMessage(e);
        if (detail.toLowerCase(Locale.ROOT).contains("ryuk")) {
            return "Testcontainers could not start its Ryuk container (" + detail + "); " + RYUK_HINT;
        }
        return "no Docker engine reachable (" + detail + "; start one, e.g. scripts/docker-engine, or point"
                + " DOCKER_HOST or docker.host in ~/.testcontainers.properties at it)";
    }

    /** What the connecting thread is stuck on, as a hint. */
    private static String stuck(Thread connector, Duration timeout) {
        String stack = Arrays.stream(connector.getStackTrace()).map(StackTraceElement::toString)
                .collect(Collectors.joining("\n"));
        String prefix = "Testcontainers did not connect to the Docker engine within " + timeout.toMillis() + " ms ("
                + ContainerConfig.ENGINE_TIMEOUT_PROPERTY_NAME + ")";
        if (stack.contains("RyukResourceReaper")) {
            return prefix + ": it is trying to pull and start its Ryuk container; " + RYUK_HINT;
        }
        if (stack.contains("DockerClientConfigUtils") || stack.contains("getDockerHostIpAddress")) {
            return prefix + ": it runs in a container (/.dockerenv) and tries to find the engine's address with a"
                    + " helper image; set TESTCONTAINERS_HOST_OVERRIDE=localhost";
        }
        return prefix + "; is the engine answering? (docker info)";
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
