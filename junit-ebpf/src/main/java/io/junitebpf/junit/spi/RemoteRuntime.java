package io.junitebpf.junit.spi;

import io.junitebpf.junit.EbpfConfig;

import java.util.Optional;

/**
 * Somewhere other than the test JVM where the tests of an {@code @EbpfTest} class can run: a privileged container,
 * a VM with a chosen kernel. The extension finds implementations with {@link java.util.ServiceLoader} (a
 * {@code META-INF/services/io.junitebpf.junit.spi.RemoteRuntime} entry on the test class path), picks one by
 * {@link #name()} when {@value EbpfConfig#RUNTIME_PROPERTY_NAME} asks for it — or, for {@code auto}, when the test
 * JVM cannot load BPF — and replays each {@link TestOutcome} as if the test had run in the test JVM.
 *
 * <p>The extension keeps the instance it found for the whole run (in the JUnit root store) and {@link #close()}s it
 * at the end of the run, so a runtime may serve every class of the run from one container or VM.
 *
 * <p>Inside, the same test class runs in-process: a runtime starts its JVM with
 * {@code junit.ebpf.runtime=in-process}, so the extension there loads BPF instead of asking again.
 */
public interface RemoteRuntime extends AutoCloseable {

    /** The value of {@value EbpfConfig#RUNTIME_PROPERTY_NAME} that selects this runtime, e.g. "container". */
    String name();

    /**
     * Why this runtime cannot run tests here (for example "no Docker engine reachable (...)"), or empty when it
     * can. Asked only when the runtime is needed; may take a while the first time and should remember the answer.
     */
    Optional<String> problem(EbpfConfig config);

    /** A session for the tests of {@code testClass}; nothing needs to start before its first {@link Session#run}. */
    Session open(String testClass, EbpfConfig config);

    /**
     * Releases what the runtime keeps between sessions (the run's container or VM); called once, at the end of the
     * run, after every session was closed. Does nothing by default.
     */
    @Override
    default void close() {
    }

    /** The tests of one class: opened before its first test, closed after its last. */
    interface Session extends AutoCloseable {

        /**
         * Starts what the class's tests need (a container, a JVM) before its first test: called from the class's
         * {@code @BeforeAll} callbacks, so that a start is the class's set-up, not one test's time, as loading the
         * BPF objects of a per-class lifecycle is in-process. A failure here is logged and left to the first
         * {@link #run}, which tries again and reports it as today. Does nothing by default.
         */
        default void prepare() {
        }

        /**
         * Runs one test and says how it ended. Throws when the runtime cannot run tests at all (no image, start
         * refused); a test that could not finish (its JVM died, timed out) is a FAILED outcome saying so.
         */
        TestOutcome run(TestRequest request);

        /** Releases everything the session started. Idempotent. */
        @Override
        void close();
    }
}
