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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Runs test methods in a container: the host side of the protocol. One runtime per container configuration serves
 * the whole run: the container starts on the first test of the first class and stays until {@link #close()} (the end
 * of the run: the provider is closed from the JUnit root store), a shutdown hook, or — if the JVM was killed — the
 * JVM-death watchdog and {@link ContainerReaper} in the next JVM. A container that died is replaced for the next test.
 *
 * <p>Each test class gets a {@link ClassTests} session, which leases one serving JVM ({@link TestServer},
 * {@link RemoteTestMain}) for the class's life and gives it back at its end: in a sequential run one JVM serves
 * every class, warm; classes running in parallel each lease their own JVM in the same container. Inside the JVM the
 * class path's jars are loaded once and the test class's directories once per class ({@link RemoteTestMain}).
 *
 * <p>The container sees the test JVM's class path (manifest-only jars expanded), its JDK and its working directory
 * read-only at their host paths, runs the tests in that working directory, and shares the host's pid namespace. It
 * makes no FFM call and knows no Jupiter types: the extension adapts.
 */
final class ContainerRuntime implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ContainerRuntime.class.getName());
    private static final Set<ContainerRuntime> OPEN = ConcurrentHashMap.newKeySet();
    private static final AtomicLong REQUESTS = new AtomicLong();
    /** The owner label of the run's container: it serves every class. */
    static final String RUN_LABEL = "(the run's test classes)";

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> OPEN.forEach(ContainerRuntime::close),
                "junit-ebpf container cleanup"));
    }

    private final ContainerConfig config;
    private final Deque<TestServer> idle = new ArrayDeque<>();
    private final Set<TestServer> servers = new HashSet<>();
    private final ServerTimings timings = new ServerTimings();
    private PrivilegedContainer container;
    private Path exchange;
    private String image;

    private ContainerRuntime(ContainerConfig config) {
        this.config = config;
    }

    /** A runtime for every test class run with {@code config}; nothing starts before the first test. */
    static ContainerRuntime forConfig(ContainerConfig config) {
        return new ContainerRuntime(Objects.requireNonNull(config, "config"));
    }

    /** The session of one test class; nothing starts before its first {@link ClassTests#run}. */
    ClassTests session(String testClass) {
        return new ClassTests(Objects.requireNonNull(testClass, "testClass"));
    }

    /** The tests of one class: one serving JVM, leased on the first test and given back by {@link #close()}. */
    final class ClassTests implements AutoCloseable {
        private final String testClass;
        private TestServer server;

        private ClassTests(String testClass) {
            this.testClass = testClass;
        }

        /** Starts the container if needed and leases the class's JVM, before its first test. */
        synchronized void prepare() {
            if (server == null) {
                server = lease(testClass);
            }
        }

        /**
         * Runs one test in the container and returns how it ended. A container that could not start throws
         * {@link ContainerException} (image missing, start refused, no engine); a container or JVM that died while
         * the test ran gives a FAILED result whose message says so, and the next test gets a fresh JVM (and a fresh
         * container if that died).
         */
        synchronized RemoteTestResult run(TestRequest request) {
            long started = System.nanoTime();
            if (server != null && !server.alive()) { // ended between tests (container killed, JVM gone)
                discard(server);
                server = null;
            }
            if (server == null) {
                server = lease(testClass);
            }
            TestServer s = server;
            Path requestFile = s.exchange().resolve("request-" + REQUESTS.incrementAndGet() + ".properties");
            Path responseFile = requestFile.resolveSibling(requestFile.getFileName().toString()
                    .replace("request-", "response-"));
            try {
                long asked = System.nanoTime();
                Exchange.write(request, requestFile);
                TestServer.Reply reply = s.ask(requestFile, responseFile, config.testTimeout());
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                if (reply == TestServer.Reply.ANSWERED && Files.exists(responseFile)) {
                    timings.add(Duration.ofNanos(System.nanoTime() - asked), s.lastTimings());
                    return RemoteTestResult.read(responseFile, took, s.container().description());
                }
                // no answer: this JVM is done for; the next test leases another
                server = null;
                discard(s);
                PrivilegedContainer c = s.container();
                String what = reply == TestServer.Reply.TIMED_OUT ? "did not finish within " + config.testTimeout()
                        + " (" + ContainerConfig.TEST_TIMEOUT_PROPERTY_NAME + "); its JVM was killed"
                        : c.death().map(d -> "was cut short: " + d)
                        .orElseGet(() -> "ended without an answer: " + s.describeEnd());
                return RemoteTestResult.failed(new ContainerException("container runtime: " + request.displayName()
                                + " " + what, null),
                        s.stdout(), s.stderr(), took, c.description());
            } catch (IOException e) {
                throw new UncheckedIOException("container runtime: exchange with " + s.container().description()
                        + " via " + s.exchange(), e);
            } finally {
                deleteQuietly(requestFile);
                deleteQuietly(responseFile);
            }
        }

        /** Ends the class in its JVM (its loader goes) and gives the JVM back for the next class. Idempotent. */
        @Override
        public synchronized void close() {
            if (server != null) {
                giveBack(server);
                server = null;
            }
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

    /** How many serving JVMs run in the container now (leased or idle; for tests). */
    synchronized int servers() {
        return servers.size();
    }

    /** Removes the serving JVMs, the container and the exchange directory; logs the run's timings. Idempotent. */
    @Override
    public synchronized void close() {
        OPEN.remove(this);
        try {
            servers.forEach(TestServer::close);
            if (container != null) {
                container.close();
            }
        } finally {
            servers.clear();
            idle.clear();
            container = null;
            if (exchange != null) {
                deleteTree(exchange);
                exchange = null;
            }
        }
        timings.summary().ifPresent(t -> LOG.log(System.Logger.Level.INFO, "container runtime: " + t));
    }

    /** An idle JVM of the running container, or a new one; the container (re)started first if needed. */
    private synchronized TestServer lease(String testClass) {
        PrivilegedContainer c = ensureStarted();
        for (TestServer s = idle.poll(); s != null; s = idle.poll()) {
            if (s.container() == c && s.alive()) {
                return s;
            }
            discard(s);
        }
        long started = System.nanoTime();
        TestServer s = TestServer.start(c, java(), exchange, workingDirectory());
        servers.add(s);
        LOG.log(System.Logger.Level.DEBUG, () -> "test JVM " + servers.size() + " in " + c.description() + " for "
                + testClass + " ready in " + (System.nanoTime() - started) / 1_000_000 + " ms");
        return s;
    }

    private synchronized void giveBack(TestServer s) {
        if (servers.contains(s) && s.container() == container && s.endClass()) {
            idle.push(s);
        } else {
            discard(s);
        }
    }

    private synchronized void discard(TestServer s) {
        servers.remove(s);
        idle.remove(s);
        s.close();
    }

    private PrivilegedContainer ensureStarted() {
        if (container != null) {
            Optional<String> death = container.death();
            if (death.isEmpty()) {
                return container;
            }
            LOG.log(System.Logger.Level.WARNING, death.get() + "; starting another one");
            List.copyOf(servers).forEach(this::discard);
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
        container = PrivilegedContainer.start(image, config.privileges(), RUN_LABEL, readOnly, List.of(exchange));
        LOG.log(System.Logger.Level.INFO, "started {0} in {1} ms", container.description(),
                (System.nanoTime() - started) / 1_000_000);
        return container;
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
