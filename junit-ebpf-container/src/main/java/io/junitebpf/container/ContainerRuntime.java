package io.junitebpf.container;

import io.junitebpf.junit.EbpfConfig;
import io.junitebpf.junit.EbpfTest;
import io.junitebpf.junit.spi.TestRequest;
import io.junitebpf.remote.Exchange;
import io.junitebpf.remote.RemoteTestMain;
import io.junitebpf.remote.RemoteTestResult;
import io.junitebpf.remote.TestClassPath;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Runs test methods of one test class in a container: the host side of the protocol. The container and one JVM
 * in it ({@link TestServer}, {@link RemoteTestMain}) start on the first {@link #run} and serve every later test
 * of the class; either is started again if it died, and {@link #close()} removes both — as does a shutdown hook or,
 * if the JVM was killed, {@link ContainerReaper} in the next JVM.
 *
 * <p>The container sees the test JVM's class path (manifest-only jars expanded), its JDK and its working directory
 * read-only at their host paths, runs the tests in that working directory, and shares the host's pid namespace. It
 * makes no FFM call and knows no Jupiter types: the extension adapts.
 */
final class ContainerRuntime implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ContainerRuntime.class.getName());
    private static final Set<ContainerRuntime> OPEN = ConcurrentHashMap.newKeySet();
    private static final AtomicLong REQUESTS = new AtomicLong();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> OPEN.forEach(ContainerRuntime::close),
                "junit-ebpf container cleanup"));
    }

    private final String testClass;
    private final ContainerConfig config;
    private PrivilegedContainer container;
    private TestServer server;
    private Path exchange;
    private String image;

    private ContainerRuntime(String testClass, ContainerConfig config) {
        this.testClass = testClass;
        this.config = config;
    }

    /** A runtime for the tests of {@code testClass}; nothing starts before the first {@link #run}. */
    static ContainerRuntime forTestClass(String testClass, ContainerConfig config) {
        return new ContainerRuntime(Objects.requireNonNull(testClass, "testClass"), Objects.requireNonNull(config));
    }

    /**
     * Runs one test in the container and returns how it ended. A container that could not start throws
     * {@link ContainerException} (image missing, start refused, no engine); a container or JVM that died while
     * the test ran gives a FAILED result whose message says so.
     */
    synchronized RemoteTestResult run(TestRequest request) {
        long started = System.nanoTime();
        PrivilegedContainer c = ensureStarted();
        TestServer s = ensureServer(c);
        Path requestFile = exchange.resolve("request-" + REQUESTS.incrementAndGet() + ".properties");
        Path responseFile = exchange.resolve(requestFile.getFileName().toString().replace("request-", "response-"));
        try {
            Exchange.write(request, requestFile);
            TestServer.Reply reply = s.ask(requestFile, responseFile, config.testTimeout());
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            if (reply == TestServer.Reply.ANSWERED && Files.exists(responseFile)) {
                return RemoteTestResult.read(responseFile, took, c.description());
            }
            // no answer: this server is done for; the next test gets another
            server = null;
            s.close();
            String what = reply == TestServer.Reply.TIMED_OUT ? "did not finish within " + config.testTimeout() + " ("
                    + ContainerConfig.TEST_TIMEOUT_PROPERTY_NAME + "); its JVM was killed"
                    : c.death().map(d -> "was cut short: " + d)
                    .orElseGet(() -> "ended without an answer: " + s.describeEnd());
            return RemoteTestResult.failed(new ContainerException("container runtime: " + request.displayName() + " "
                            + what, null),
                    s.stdout(), s.stderr(), took, c.description());
        } catch (IOException e) {
            throw new UncheckedIOException("container runtime: exchange with " + c.description() + " via " + exchange, e);
        } finally {
            deleteQuietly(requestFile);
            deleteQuietly(responseFile);
        }
    }

    /** The running container's description (id, image, privilege profile and any fallback), once started. */
    synchronized Optional<String> description() {
        return Optional.ofNullable(container).map(PrivilegedContainer::description);
    }

    /** The running container's id, once started (for diagnostics and tests). */
    synchronized Optional<String> containerId() {
        return Optional.ofNullable(container).map(PrivilegedContainer::id);
    }

    /** Removes the container and the exchange directory. Idempotent. */
    @Override
    public synchronized void close() {
        OPEN.remove(this);
        try {
            if (server != null) {
                server.close();
            }
            if (container != null) {
                container.close();
            }
        } finally {
            server = null;
            container = null;
            if (exchange != null) {
                deleteTree(exchange);
                exchange = null;
            }
        }
    }

    private PrivilegedContainer ensureStarted() {
        if (container != null) {
            Optional<String> death = container.death();
            if (death.isEmpty()) {
                return container;
            }
            LOG.log(System.Logger.Level.WARNING, death.get() + "; starting another one for " + testClass);
            if (server != null) {
                server.close();
                server = null;
            }
            container.close();
            container = null;
        }
        DockerEngine.problem(config.engineTimeout()).ifPresent(p -> {
            throw new ContainerException("container runtime: " + p, null);
        });
        try {
            if (exchange == null) {
                exchange = Files.createTempDirectory("junit-ebpf-container-").toRealPath();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("container runtime: cannot create an exchange directory", e);
        }
        if (image == null) {
            image = RuntimeImage.resolve(DockerEngine.client(), config.image());
        }
        List<Path> readOnly = new ArrayList<>(classPath());
        readOnly.add(javaHome());
        readOnly.add(workingDirectory());
        OPEN.add(this);
        long started = System.nanoTime();
        container = PrivilegedContainer.start(image, config.privileges(), testClass, readOnly, List.of(exchange));
        LOG.log(System.Logger.Level.INFO, "started {0} for {1} in {2} ms", container.description(), testClass,
                (System.nanoTime() - started) / 1_000_000);
        return container;
    }

    private TestServer ensureServer(PrivilegedContainer c) {
        if (server == null) {
            long started = System.nanoTime();
            server = TestServer.start(c, java(), exchange, workingDirectory());
            LOG.log(System.Logger.Level.DEBUG, () -> "test JVM for " + testClass + " ready in "
                    + (System.nanoTime() - started) / 1_000_000 + " ms");
        }
        return server;
    }

    /** The java command that serves the tests, up to its main class. */
    private List<String> java() {
        List<String> command = new ArrayList<>();
        command.add(config.javaHome().resolve("bin/java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-Xshare:auto");
        command.add("-D" + EbpfConfig.RUNTIME_PROPERTY_NAME + "=" + EbpfConfig.value(EbpfTest.Runtime.IN_PROCESS));
        System.getProperties().stringPropertyNames().stream().sorted()
                .filter(k -> k.startsWith(EbpfConfig.PREFIX) && !k.equals(EbpfConfig.RUNTIME_PROPERTY_NAME)
                        && !k.equals(EbpfConfig.SIMULATE_UNPRIVILEGED_PROPERTY_NAME)
                        && !k.equals(io.junitebpf.bpf.Libbpf.LIBRARY_PATH_PROPERTY) // a host path: the container has its own
                        && !k.startsWith("junit.ebpf.container."))
                .forEach(k -> command.add("-D" + k + "=" + System.getProperty(k)));
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("--add-exports") || a.equals("-ea")
                        || a.equals("-enableassertions"))
                .forEach(command::add);
        command.add("-cp");
        command.add(String.join(":", classPath().stream().map(Path::toString).toList()));
        return command;
    }

    /** The test JVM's working directory (the project): mounted at its path, and the tests' working directory inside. */
    private static Path workingDirectory() {
        return Path.of(System.getProperty("user.dir")).toAbsolutePath().normalize();
    }

    private Path javaHome() {
        Path home = config.javaHome();
        if (!Files.isExecutable(home.resolve("bin/java"))) {
            throw new ContainerException("container runtime: " + home + " has no bin/java (set "
                    + ContainerConfig.JAVA_HOME_PROPERTY_NAME + " to a JDK 25 directory)", null);
        }
        return home;
    }

    /** The test JVM's class path, with the Class-Path of manifest-only jars (Surefire's booter) expanded. */
    static List<Path> classPath() {
        return TestClassPath.entries();
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the exchange directory goes with close()
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(ContainerRuntime::deleteQuietly);
        } catch (IOException ignored) {
            // best effort: a temp directory
        }
    }
}
