package io.junitebpf.remote;

import io.junitebpf.junit.spi.TestOutcome.Status;
import io.junitebpf.junit.spi.TestRequest;

import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.StandardProtocolFamily;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The remote side of the protocol, in a container or a VM: one JVM serves the test requests of its runtime one after
 * another. In a container, {@code RemoteTestMain SOCKET} listens on the Unix socket SOCKET (in the exchange directory,
 * which host and container see at the same path), prints {@value #READY}, and for each line
 * "REQUEST_FILE\tRESPONSE_FILE" from the host runs that test method through the JUnit Platform launcher, writes what
 * happened to the response file, and answers "done"; it exits when the host hangs up. In a VM guest, whose exchange
 * directory is a 9p share where sockets do not cross, the VM runtime's server hands the same files to a
 * {@link Server}.
 *
 * <p>Each request runs in a fresh class loader over the class path: the test class, the extension, the native
 * library and everything else of the project get fresh statics, as they did in a fresh JVM per test, without paying
 * for the JVM's start. Only the test frameworks ({@link #SHARED}: JUnit, AssertJ, Testcontainers) are loaded once,
 * by a parent loader shared by all requests — their statics are not the tests' state, and loading them is most of
 * what a fresh JVM cost. It runs with {@value io.junitebpf.junit.EbpfConfig#RUNTIME_PROPERTY_NAME}=in-process, so
 * the extension loads BPF here instead of asking for another remote runtime.
 */
public final class RemoteTestMain {

    /** Jars loaded once for all requests, by file name prefix: test frameworks, not the project's code. */
    private static final List<String> SHARED = List.of("junit-platform-", "junit-jupiter-", "opentest4j-",
            "apiguardian-", "assertj-core-", "byte-buddy-", "testcontainers-", "docker-java-", "jna-", "slf4j-",
            "duct-tape-", "commons-compress-", "commons-io-", "commons-codec-", "commons-lang3-", "jackson-");

    /** What the JVM prints on stdout once it listens. */
    public static final String READY = "junit-ebpf test server ready";

    private RemoteTestMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: RemoteTestMain SOCKET");
            System.exit(2);
        }
        Path socket = Path.of(args[0]);
        // the console handler takes System.err when first used: make that the JVM's stderr, not a test's capture
        java.util.logging.Logger.getLogger("").getHandlers();
        Server requests = Server.forThisJvm();
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            // created by root in the container; the host's user, maybe unprivileged, connects to it
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
            System.out.println(READY);
            System.out.flush();
            try (SocketChannel host = server.accept();
                 BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(host),
                         StandardCharsets.UTF_8));
                 Writer out = new OutputStreamWriter(Channels.newOutputStream(host), StandardCharsets.UTF_8)) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    String[] files = line.split("\t", 2);
                    requests.serve(Path.of(files[0]), Path.of(files[1]));
                    out.write("done\n");
                    out.flush();
                }
            }
        }
        // test code may leave non-daemon threads behind (target pumps, executors): the host is gone, leave
        System.exit(0);
    }

    /** Runs requests one after another, each in a fresh class loader under one loader of the test frameworks. */
    public static final class Server {
        private final ClassLoader shared;
        private final URL[] classPath;

        private Server(ClassLoader shared, URL[] classPath) {
            this.shared = shared;
            this.classPath = classPath;
        }

        /** A server over this JVM's class path. */
        public static Server forThisJvm() throws IOException {
            return new Server(new URLClassLoader("junit-ebpf test frameworks", classPath(true),
                    ClassLoader.getPlatformClassLoader()), classPath(false));
        }

        /** Runs one request in a fresh class loader; a failure to run it at all becomes the answer. */
        public void serve(Path requestFile, Path responseFile) throws IOException {
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            try (URLClassLoader loader = new URLClassLoader("junit-ebpf test", classPath, shared)) {
                thread.setContextClassLoader(loader);
                Method answer = Class.forName(RemoteTestMain.class.getName(), true, loader)
                        .getDeclaredMethod("answer", String.class, String.class);
                answer.setAccessible(true);
                answer.invoke(null, requestFile.toString(), responseFile.toString());
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
                RemoteTestResult.write(responseFile, Status.FAILED, Optional.of(RemoteTestResult.Failure.of(
                        new IllegalStateException("remote runtime: cannot run " + requestFile + ": " + cause, cause))),
                        List.of(), "", "");
            } finally {
                thread.setContextClassLoader(previous);
            }
        }
    }

    /** Called in the fresh class loader: runs the request with stdout and stderr captured for the answer. */
    @SuppressWarnings("unused")
    private static void answer(String requestFile, String responseFile) throws IOException {
        TestRequest request = Exchange.read(Path.of(requestFile));
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Outcome outcome;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            outcome = run(request);
        } finally {
            System.out.flush();
            System.err.flush();
            System.setOut(stdout);
            System.setErr(stderr);
        }
        RemoteTestResult.write(Path.of(responseFile), outcome.status,
                outcome.failure.map(RemoteTestResult.Failure::of), outcome.reportEntries,
                out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The class path entries that are ({@code shared}) or are not test frameworks. */
    private static URL[] classPath(boolean shared) throws IOException {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path", "").split(java.io.File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            Path path = Path.of(entry);
            String name = path.getFileName() == null ? "" : path.getFileName().toString();
            boolean framework = name.endsWith(".jar") && SHARED.stream().anyMatch(name::startsWith);
            if (framework == shared) {
                urls.add(path.toUri().toURL());
            }
        }
        return urls.toArray(URL[]::new);
    }

    /** Runs {@code request} in this JVM through the JUnit Platform launcher. */
    public static Outcome run(TestRequest request) {
        Outcome outcome = new Outcome();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selector(request)).build(), outcome);
        if (!outcome.testFinished && outcome.status == Status.SUCCESSFUL) {
            outcome.status = Status.FAILED;
            outcome.failure = Optional.of(new IllegalStateException("remote runtime: no test matched "
                    + request.displayName() + request.uniqueId().map(id -> " / " + id).orElse("")
                    + " on the remote side (is its class path the test JVM's?)"));
        }
        return outcome;
    }

    private static DiscoverySelector selector(TestRequest request) {
        Optional<String> templateInvocation = request.uniqueId()
                .filter(id -> id.startsWith("[engine:junit-jupiter]") && id.contains("-invocation:"));
        if (templateInvocation.isPresent()) {
            return DiscoverySelectors.selectUniqueId(templateInvocation.get());
        }
        return DiscoverySelectors.selectMethod(request.className(), request.methodName(),
                String.join(",", request.parameterTypeNames()));
    }

    /** Collects the test's outcome; a failing class-level callback counts against the test. */
    public static final class Outcome implements TestExecutionListener {
        Status status = Status.SUCCESSFUL;
        Optional<Throwable> failure = Optional.empty();
        final List<Map<String, String>> reportEntries = new ArrayList<>();
        boolean testFinished;

        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            if (id.isTest()) {
                testFinished = true;
            }
            Status mapped = Status.valueOf(result.getStatus().name());
            // worst wins: FAILED > ABORTED > SUCCESSFUL; the first throwable of that severity is kept
            if (mapped.ordinal() > status.ordinal()) {
                status = mapped;
                failure = result.getThrowable();
            }
        }

        @Override
        public void executionSkipped(TestIdentifier id, String reason) {
            if (id.isTest() || status == Status.SUCCESSFUL) {
                testFinished = true;
                if (status == Status.SUCCESSFUL) {
                    status = Status.ABORTED;
                    failure = Optional.of(new org.opentest4j.TestAbortedException("skipped on the remote side: " + reason));
                }
            }
        }

        @Override
        public void reportingEntryPublished(TestIdentifier id, ReportEntry entry) {
            reportEntries.add(entry.getKeyValuePairs());
        }
    }
}
