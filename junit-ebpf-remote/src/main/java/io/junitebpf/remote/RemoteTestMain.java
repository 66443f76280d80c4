package io.junitebpf.remote;

import io.junitebpf.junit.EbpfTest;
import io.junitebpf.junit.spi.TestOutcome.Status;
import io.junitebpf.junit.spi.TestRequest;

import org.junit.jupiter.api.Test;
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
 * happened to the response file, and answers "done LOAD_MS RUN_MS" (the time spent creating the test class's loader and
 * running the test, for the host's timing summary); a line "end" says the test class is over (no answer). It exits
 * when the host hangs up. In a VM guest, whose exchange
 * directory is a 9p share where sockets do not cross, the VM runtime's server hands the same files to a
 * {@link Server}.
 *
 * <p>Class loading, the isolation rule: every <em>jar</em> of the class path (test frameworks, the extension, the
 * native library, the project's dependencies) is loaded once, by one loader shared by all requests of this JVM — their
 * statics live as long as the JVM, as they do in an in-process run. The class path's <em>directories</em> (the
 * project's {@code target/classes} and {@code target/test-classes}) are loaded by one loader per test class, created
 * by the class's first request and kept while its requests follow one another: the statics of a test class (and of
 * the project's own classes) start fresh for each test class and are shared by the methods of that class, as
 * in-process. A {@code @Nested} class shares the loader of its top-level class, as it shares its statics in-process.
 * A request for another top-level class, or {@link Server#endClass()} (the host's "end" line: the class's session
 * closed), drops the loader. Each request is still one launcher execution, so {@code @BeforeAll}/{@code @AfterAll}
 * run around every test. It runs with {@value io.junitebpf.junit.EbpfConfig#RUNTIME_PROPERTY_NAME}=in-process, so
 * the extension loads BPF here instead of asking for another remote runtime.
 */
public final class RemoteTestMain {

    /** The host's line that ends a test class: its loader goes. */
    public static final String END = "end";

    /** What the JVM prints on stdout once it listens. */
    public static final String READY = "junit-ebpf test server ready";

    /** The launcher of the last test class (see {@link #launcher()}) and that class's loader. */
    private static Launcher launcher;
    private static java.lang.ref.WeakReference<ClassLoader> launcherLoader = new java.lang.ref.WeakReference<>(null);

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
        requests.warmUp();
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
                    if (line.equals(END)) {
                        requests.endClass();
                        continue;
                    }
                    String[] files = line.split("\t", 2);
                    long started = System.nanoTime();
                    long loading = requests.serve(Path.of(files[0]), Path.of(files[1]));
                    out.write("done " + loading / 1_000_000 + " " + (System.nanoTime() - started - loading) / 1_000_000
                            + "\n");
                    out.flush();
                }
            }
        }
        // test code may leave non-daemon threads behind (target pumps, executors): the host is gone, leave
        System.exit(0);
    }

    /**
     * Runs requests one after another: the class path's jars in one loader for the JVM's life, its directories in one
     * loader per test class (see the class comment for the rule). Not thread-safe: one request at a time.
     */
    public static final class Server {
        private final ClassLoader jars;
        private final URL[] directories;
        private String loadedFor;
        private URLClassLoader testClassLoader;

        private Server(ClassLoader jars, URL[] directories) {
            this.jars = jars;
            this.directories = directories;
        }

        /** A server over this JVM's class path. */
        public static Server forThisJvm() throws IOException {
            return new Server(new URLClassLoader("junit-ebpf test jars", classPath(true),
                    ClassLoader.getPlatformClassLoader()), classPath(false));
        }

        /**
         * Runs one request in its test class's loader (created if the last request was for another class); a failure
         * to run it at all becomes the answer. Returns the nanoseconds spent creating that loader (0 when reused).
         */
        public long serve(Path requestFile, Path responseFile) throws IOException {
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            long started = System.nanoTime();
            long loading = 0;
            try {
                ClassLoader loader = loaderFor(topLevel(Exchange.read(requestFile).className()));
                Method answer = Class.forName(RemoteTestMain.class.getName(), true, loader)
                        .getDeclaredMethod("answer", String.class, String.class);
                answer.setAccessible(true);
                loading = System.nanoTime() - started;
                thread.setContextClassLoader(loader);
                answer.invoke(null, requestFile.toString(), responseFile.toString());
            } catch (ReflectiveOperationException | RuntimeException | LinkageError | IOException e) {
                Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
                RemoteTestResult.write(responseFile, Status.FAILED, Optional.of(RemoteTestResult.Failure.of(
                        new IllegalStateException("remote runtime: cannot run " + requestFile + ": " + cause, cause))),
                        List.of(), "", "");
            } finally {
                thread.setContextClassLoader(previous);
            }
            return loading;
        }

        /**
         * Runs {@link WarmUpTestCases} once, so that the JUnit Platform, Jupiter, the extension and libbpf are loaded
         * (in the jars' loader, for good) before the first test asks: the test JVM has them loaded too when its first
         * test starts. A failure only means the first test pays for it.
         */
        public void warmUp() throws IOException {
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            try {
                ClassLoader loader = loaderFor(WarmUpTestCases.class.getName());
                Method warm = Class.forName(RemoteTestMain.class.getName(), true, loader).getDeclaredMethod("warmUpHere");
                warm.setAccessible(true);
                thread.setContextClassLoader(loader);
                warm.invoke(null);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                System.err.println("junit-ebpf test server: warm-up failed (the first test pays for it): " + e);
            } finally {
                thread.setContextClassLoader(previous);
                endClass();
            }
        }

        /** The test class is over: the next request, even for the same class, gets a fresh loader. */
        public void endClass() throws IOException {
            loadedFor = null;
            if (testClassLoader != null) {
                testClassLoader.close();
                testClassLoader = null;
            }
        }

        private ClassLoader loaderFor(String testClass) throws IOException {
            if (!testClass.equals(loadedFor)) {
                endClass();
                testClassLoader = new URLClassLoader("junit-ebpf test class " + testClass, directories, jars);
                loadedFor = testClass;
            }
            return testClassLoader;
        }

        /** A {@code @Nested} class's top-level class: its statics are the nested class's too. */
        private static String topLevel(String className) {
            int nested = className.indexOf('$');
            return nested < 0 ? className : className.substring(0, nested);
        }
    }

    /** A trivial eBPF test: its run loads what every test's run needs ({@link Server#warmUp()}). */
    @EbpfTest
    static final class WarmUpTestCases {
        @Test
        void loadsTheExtension() {
        }
    }

    /** Called in the warm-up's loader. */
    @SuppressWarnings("unused")
    private static void warmUpHere() {
        Outcome outcome = run(new TestRequest(WarmUpTestCases.class.getName(), "loadsTheExtension", List.of(),
                Optional.empty()));
        if (outcome.status != Status.SUCCESSFUL) {
            System.err.println("junit-ebpf test server: warm-up test " + outcome.status + ": "
                    + outcome.failure.map(Throwable::toString).orElse("?"));
        }
    }

    /** Called in the test class's loader: runs the request with stdout and stderr captured for the answer. */
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

    /** The class path's jars ({@code jars}) or its other entries (directories). */
    private static URL[] classPath(boolean jars) throws IOException {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path", "").split(java.io.File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            Path path = Path.of(entry);
            if (Files.isDirectory(path) != jars) {
                urls.add(path.toUri().toURL());
            }
        }
        return urls.toArray(URL[]::new);
    }

    /**
     * The launcher for the context class loader (the test class's): made once per test class, not per test — its
     * engines and listeners are found through that loader, and finding them is most of what a launcher costs.
     */
    private static synchronized Launcher launcher() {
        ClassLoader current = Thread.currentThread().getContextClassLoader();
        if (launcher == null || launcherLoader.get() != current) {
            launcher = LauncherFactory.create();
            launcherLoader = new java.lang.ref.WeakReference<>(current);
        }
        return launcher;
    }

    /** Runs {@code request} in this JVM through the JUnit Platform launcher. */
    public static Outcome run(TestRequest request) {
        Outcome outcome = new Outcome();
        Launcher launcher = launcher();
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
